package org.dllab.grading.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox for machines without bubblewrap (macOS, Windows, locked-down Linux): each test JVM
 * runs in a container of the grader's image ({@code Containerfile} in the repository) with {@code
 * podman} or {@code docker}: no network, a read-only root, no capabilities, a private {@code /tmp},
 * and only the same folders the bubblewrap sandbox shows, mounted read-only (the library jars, the
 * student's classes, the datasets, the engine cache) plus the scratch folder. The JVM is the
 * image's, so the host's JDK need not be a Linux one.
 */
public final class ContainerSandbox {

    /** The image {@code dllab grade --container} uses when none is named. */
    public static final String DEFAULT_IMAGE = "dllab-grader";

    private static final Map<String, Sandbox.Check> CHECKED = new ConcurrentHashMap<>();

    private ContainerSandbox() {}

    /**
     * The container engine on the PATH: podman, else docker.
     *
     * @return its path, or null
     */
    static Path engine() {
        for (String name : List.of("podman", "docker")) {
            for (String dir :
                    System.getenv()
                            .getOrDefault("PATH", "/usr/bin:/bin")
                            .split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Wraps a test JVM's command in a container run.
     *
     * @param command the child's command line (its first element, the host's java, is replaced by
     *     the image's)
     * @param readable files and folders mounted read-only at the same paths
     * @param scratch the one writable folder (also the working directory and home)
     * @param environment the child's environment, passed into the container
     * @param image the image
     * @return the command to run
     */
    public static List<String> wrap(
            List<String> command,
            List<Path> readable,
            Path scratch,
            Map<String, String> environment,
            String image) {
        Path engine = engine();
        if (engine == null) {
            throw new SandboxUnavailableException("--container needs podman or docker on the PATH");
        }
        // nproc: a fork bomb's ceiling without cgroups (some hosts, this project's CI machine among
        // them, have no usable
        // cgroup controllers for containers); nofile: lower than most engines' default, which a
        // host may forbid raising to
        List<String> c =
                new ArrayList<>(
                        List.of(
                                engine.toString(),
                                "run",
                                "--rm",
                                "-i",
                                "--pull=never",
                                "--network=none",
                                "--read-only",
                                "--tmpfs",
                                "/tmp",
                                "--cap-drop=ALL",
                                "--security-opt=no-new-privileges",
                                "--ulimit",
                                "nproc=1024:1024",
                                "--ulimit",
                                "nofile=4096:4096"));
        String extra =
                System.getenv(
                        "DLLAB_CONTAINER_OPTIONS"); // e.g. "--runtime /usr/sbin/runc" where crun
        // cannot run
        if (extra != null && !extra.isBlank()) {
            c.addAll(List.of(extra.trim().split("\\s+")));
        }
        Set<String> mounts = new LinkedHashSet<>();
        for (Path r : readable) {
            Path p = r.toAbsolutePath().normalize();
            if (Files.exists(p) && !p.startsWith(Path.of(System.getProperty("java.home")))) {
                mounts.add(p.toString());
            }
        }
        for (String m : mounts) {
            c.addAll(List.of("-v", m + ":" + m + ":ro"));
        }
        String s = scratch.toAbsolutePath().normalize().toString();
        c.addAll(List.of("-v", s + ":" + s, "-w", s));
        environment.forEach(
                (k, v) -> {
                    if (!k.equals("PATH")) {
                        c.addAll(List.of("-e", k + "=" + v));
                    }
                });
        c.add(image);
        c.add("java");
        c.addAll(command.subList(1, command.size()));
        return c;
    }

    /**
     * Whether the container route works with this image: a canary container must start, run the
     * image's Java and fail to read a file planted outside its mounts. Checked once per image and
     * JVM.
     *
     * @param image the image
     * @return the outcome
     */
    public static Sandbox.Check check(String image) {
        return CHECKED.computeIfAbsent(image, ContainerSandbox::runCheck);
    }

    private static Sandbox.Check runCheck(String image) {
        Path engine = engine();
        if (engine == null) {
            return new Sandbox.Check(false, "--container needs podman or docker on the PATH");
        }
        Path scratch = null;
        Path planted = null;
        try {
            scratch = Files.createTempDirectory("dllab-canary-");
            planted = Files.createTempDirectory("dllab-planted-").resolve("secret.txt");
            Files.writeString(planted, "canary", StandardCharsets.UTF_8);
            List<String> cmd =
                    wrap(List.of("java", "-version"), List.of(), scratch, Map.of(), image);
            cmd =
                    new ArrayList<>(
                            cmd.subList(
                                    0, cmd.size() - 2)); // image's java -version → a shell canary
            cmd.addAll(
                    List.of(
                            "sh",
                            "-c",
                            "cat '"
                                    + planted
                                    + "' >/dev/null 2>&1 && exit 7; java -version >/dev/null 2>&1 || exit 8; exit 0"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out =
                    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Sandbox.Check(false, "the container did not start within 120 s");
            }
            return switch (p.exitValue()) {
                case 0 ->
                        new Sandbox.Check(
                                true,
                                "checked: a canary container of "
                                        + image
                                        + " could not read a file planted outside it");
                case 7 ->
                        new Sandbox.Check(
                                false,
                                "a canary container read a file planted outside it; refusing to run student code");
                case 8 ->
                        new Sandbox.Check(
                                false,
                                "the image "
                                        + image
                                        + " has no working java (build it from the repository's Containerfile)");
                default ->
                        new Sandbox.Check(
                                false,
                                "the container engine could not run "
                                        + image
                                        + " ("
                                        + (out.isEmpty()
                                                ? "exit " + p.exitValue()
                                                : out.lines().findFirst().orElse(""))
                                        + "); build it: see docs/grading-security.md");
            };
        } catch (IOException e) {
            return new Sandbox.Check(
                    false, "the container engine could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sandbox.Check(false, "interrupted while checking the container");
        } finally {
            try {
                if (planted != null) {
                    org.dllab.core.FileTrees.delete(planted.getParent());
                }
                if (scratch != null) {
                    org.dllab.core.FileTrees.delete(scratch);
                }
            } catch (IOException leftover) {
                // harmless
            }
        }
    }
}
