package org.dllab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the dllab repository is: {@code --root}, {@code $DLLAB_HOME} (set by the launcher), or
 * upwards from here.
 */
final class RepoRoot {

    private RepoRoot() {}

    static Path find(Path override) throws IOException {
        if (override != null) {
            return check(override);
        }
        String home = System.getenv("DLLAB_HOME");
        if (home != null && !home.isBlank()) {
            return check(Path.of(home));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("homework-templates"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IOException(
                "cannot find the dllab repository (a folder with pom.xml and homework-templates/): "
                        + "run inside it or pass --root DIR");
    }

    private static Path check(Path p) throws IOException {
        if (!Files.isDirectory(p.resolve("homework-templates"))) {
            throw new IOException(
                    p.toAbsolutePath()
                            + " has no homework-templates/ folder: not a dllab repository");
        }
        return p;
    }
}
