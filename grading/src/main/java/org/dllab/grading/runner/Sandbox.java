package org.dllab.grading.runner;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux bubblewrap around the child JVM, where {@code bwrap} is installed (and {@code DLLAB_SANDBOX} is not
 * {@code off}): no network (new namespaces for everything), the whole file system read-only, a fresh {@code /tmp},
 * the given folders hidden behind empty ones (reference solutions, other students, the grader's output), and one
 * writable scratch folder. Elsewhere the child runs unsandboxed and {@link #description()} says so.
 */
public final class Sandbox {

    private static final Path BWRAP = findBwrap();

    private Sandbox() {}

    /**
     * Whether bubblewrap will be used.
     *
     * @return true when available and not switched off
     */
    public static boolean active() {
        return BWRAP != null && !"off".equalsIgnoreCase(System.getenv("DLLAB_SANDBOX"));
    }

    /**
     * One line for the grader's output.
     *
     * @return what isolation is in force
     */
    public static String description() {
        return active()
                ? "sandbox: bubblewrap (no network, read-only file system, private /tmp and scratch folder, grader files hidden)"
                : "WARNING: no sandbox (bubblewrap not found" + (BWRAP != null ? " or DLLAB_SANDBOX=off" : "")
                        + "): student code runs with your user's rights; install bubblewrap (Linux) to isolate it";
    }

    /**
     * Wraps a command.
     *
     * @param command the child's command line
     * @param classpath the child's classpath (entries under hidden folders or /tmp are bound back read-only)
     * @param scratch the one writable folder
     * @param hidden folders to hide
     * @return the command to run
     */
    public static List<String> wrap(List<String> command, String classpath, Path scratch, List<Path> hidden) {
        return wrap(command, classpath, scratch, hidden, List.of());
    }

    /**
     * Wraps a command, keeping some folders readable even where they lie under {@code /tmp} or a hidden folder
     * (the datasets, the DJL cache, the JDK).
     *
     * @param command the child's command line
     * @param classpath the child's classpath
     * @param scratch the one writable folder
     * @param hidden folders to hide
     * @param readable folders the child must still read
     * @return the command to run
     */
    public static List<String> wrap(List<String> command, String classpath, Path scratch, List<Path> hidden, List<Path> readable) {
        if (!active()) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of(BWRAP.toString(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp"));
        for (Path h : hidden) {
            if (Files.isDirectory(h)) {
                c.addAll(List.of("--tmpfs", h.toAbsolutePath().normalize().toString()));
            }
        }
        List<Path> needed = new ArrayList<>(readable);
        for (String e : classpath.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                needed.add(Path.of(e));
            }
        }
        for (Path n : needed) {
            Path p = n.toAbsolutePath().normalize();
            boolean covered = p.startsWith("/tmp") || hidden.stream().anyMatch(h -> p.startsWith(h.toAbsolutePath().normalize()));
            if (covered && Files.exists(p)) {
                c.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        String s = scratch.toAbsolutePath().normalize().toString();
        c.addAll(List.of("--bind", s, s, "--chdir", s, "--unshare-all", "--die-with-parent", "--new-session", "--"));
        c.addAll(command);
        return c;
    }

    private static Path findBwrap() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "bwrap");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
