package org.dllab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Maven on a working copy or a group's project the way a student's IDE does. dllab's modules
 * come from the local Maven repository, as the launcher installs them; a test build ran {@code
 * verify}, so {@link #installThisBuild()} puts this build's parent pom, labs and grading jars there
 * first (install:install-file, no rebuild).
 */
final class LocalMaven {

    private LocalMaven() {}

    static void installThisBuild() throws Exception {
        String version =
                new String(
                                LocalMaven.class
                                        .getResourceAsStream("/dllab-version.properties")
                                        .readAllBytes())
                        .replaceAll("(?s).*version=(\\S+).*", "$1");
        Path root = Path.of("..").toAbsolutePath().normalize();
        for (String[] module :
                new String[][] {
                    {"pom.xml", "pom.xml", "pom"},
                    {"labs/target/dllab-labs-" + version + ".jar", "labs/pom.xml", "jar"},
                    {"grading/target/dllab-grading-" + version + ".jar", "grading/pom.xml", "jar"}
                }) {
            assertTrue(Files.isRegularFile(root.resolve(module[0])), "build first: " + module[0]);
            assertEquals(
                    0,
                    run(
                            root,
                            "install:install-file",
                            "-Dfile=" + root.resolve(module[0]),
                            "-DpomFile=" + root.resolve(module[1]),
                            "-Dpackaging=" + module[2]),
                    "installing " + module[0]);
        }
    }

    /**
     * Runs the repository's Maven wrapper in a folder (offline once the install plugin is cached);
     * returns its exit status.
     */
    static int run(Path dir, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of("..", "mvnw").toAbsolutePath().normalize().toString(),
                                "-B",
                                "-ntp",
                                "-q"));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("..").resolve("maven-" + dir.getFileName() + ".log").normalize();
        Process p =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return p.waitFor();
    }
}
