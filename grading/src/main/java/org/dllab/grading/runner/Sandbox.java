package org.dllab.grading.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Linux bubblewrap around the child JVM, showing it the least it needs: the system's programs and
 * libraries ({@code /usr}), the few files of {@code /etc} the dynamic loader and the JDK read, the
 * JDK, the library jars, the student's compiled classes, the datasets and the engine cache — all
 * read-only — a private empty {@code /tmp} and one writable scratch folder. Nothing else of the
 * host exists in there: not the home folder, not the repository (so neither the reference solutions
 * nor the hidden tests' sources), not other students, not the grader's output. No network, new
 * PID/IPC/UTS/user namespaces; the PID namespace dies with the child.
 *
 * <p>{@link #check()} proves it works before anything is graded: a canary inside the same sandbox
 * tries to read files planted outside its view and must fail. Where that fails (no {@code bwrap},
 * no user namespaces), {@link Mode#REQUIRED} refuses to run student code.
 */
public final class Sandbox {

    /** Whether student code must run sandboxed. */
    public enum Mode {
        /** Grading untrusted code: refuse when the sandbox does not work. */
        REQUIRED,
        /** A student's own code on their own machine: sandboxed where it works, else not. */
        AUTO,
        /** Explicitly unsandboxed ({@code --no-sandbox}): the instructor accepted the risk. */
        OFF,
        /**
         * In a container of the grader's image ({@code --container}, {@link ContainerSandbox}):
         * refuse when it does not work.
         */
        CONTAINER
    }

    /**
     * The top-level system folders a JVM needs (links in a merged-/usr system, real folders
     * elsewhere).
     */
    private static final List<String> SYSTEM =
            List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    /**
     * The files of /etc a JVM and the engine's loader read (the dynamic linker's cache; time zone).
     */
    private static final List<String> ETC =
            List.of(
                    "/etc/ld.so.cache",
                    "/etc/ld.so.conf",
                    "/etc/ld.so.conf.d",
                    "/etc/localtime",
                    "/etc/timezone",
                    "/etc/alternatives");

    private static final Path BWRAP = findBwrap();
    private static volatile Check checked;

    /** Tests only: behave as on a machine without bubblewrap (the fail-safe path). */
    static volatile boolean missingForTests;

    private Sandbox() {}

    /** The outcome of {@link #check()}. */
    public record Check(boolean works, String detail) {}

    /**
     * Whether {@code bwrap} is installed.
     *
     * @return true when found on the PATH
     */
    public static boolean installed() {
        return BWRAP != null;
    }

    /**
     * Whether the sandbox works here: bubblewrap starts, and a canary inside it cannot read files
     * planted outside its view (in the temporary folder and in the home folder). Run once per JVM.
     *
     * @return the outcome
     */
    public static Check check() {
        if (missingForTests) {
            return runCheck(null);
        }
        Check c = checked;
        if (c == null) {
            synchronized (Sandbox.class) {
                if (checked == null) {
                    checked = runCheck(BWRAP);
                }
                c = checked;
            }
        }
        return c;
    }

    /**
     * Whether a run in this mode is sandboxed; throws when the mode requires a sandbox that does
     * not work.
     *
     * @param mode the mode
     * @return true when the child will run inside bubblewrap
     * @throws SandboxUnavailableException when required and not working
     */
    public static boolean use(Mode mode) {
        if (mode == Mode.OFF || mode == Mode.CONTAINER) {
            return false; // the container route is checked by ContainerSandbox
        }
        Check c = check();
        if (!c.works() && mode == Mode.REQUIRED) {
            throw new SandboxUnavailableException(c.detail());
        }
        return c.works();
    }

    /**
     * One line for the grader's output.
     *
     * @param mode the mode in force
     * @return what isolation is in force
     */
    public static String description(Mode mode) {
        if (mode == Mode.OFF) {
            return "WARNING: no sandbox (--no-sandbox): student code runs with your user's rights (the security manager still applies)";
        }
        if (mode == Mode.CONTAINER) {
            return "sandbox: a container per test JVM (no network, read-only root, only the libraries, the data and its own classes)";
        }
        Check c = check();
        return c.works()
                ? "sandbox: bubblewrap (no network; sees only the JDK, the libraries, the data and its own classes, read-only; private /tmp and scratch)"
                : (mode == Mode.REQUIRED ? "no sandbox: " : "WARNING: no sandbox: ") + c.detail();
    }

    /**
     * Wraps a command in bubblewrap.
     *
     * @param command the child's command line
     * @param readable files and folders the child reads (the JDK, classpath entries, data, caches),
     *     bound read-only
     * @param scratch the one writable folder (also the working directory)
     * @param hidden folders hidden even where they lie under a readable one (other students, the
     *     grader's output)
     * @return the command to run
     */
    public static List<String> wrap(
            List<String> command, List<Path> readable, Path scratch, List<Path> hidden) {
        if (BWRAP == null) {
            throw new SandboxUnavailableException("bubblewrap (bwrap) is not installed");
        }
        List<String> c = new ArrayList<>(List.of(BWRAP.toString()));
        for (String s : SYSTEM) {
            Path p = Path.of(s);
            if (Files.isSymbolicLink(p)) {
                try {
                    c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), s));
                } catch (IOException unreadable) {
                    // leave it out
                }
            } else if (Files.isDirectory(p)) {
                c.addAll(List.of("--ro-bind", s, s));
            }
        }
        c.addAll(
                List.of(
                        "--dev", "/dev", "--proc", "/proc", "--tmpfs",
                        "/tmp")); // before the binds: some lie under /tmp
        Set<String> binds = new LinkedHashSet<>();
        for (String e : ETC) {
            if (Files.exists(Path.of(e))) {
                binds.add(e);
            }
        }
        for (Path r : readable) {
            Path p = r.toAbsolutePath().normalize();
            if (Files.exists(p)) {
                binds.add(p.toString());
                if (p.equals(javaHome())) {
                    binds.addAll(linkTargets(p));
                }
            }
        }
        for (String b : binds) {
            if (!b.startsWith("/usr/") || !Files.isDirectory(Path.of("/usr"))) {
                c.addAll(List.of("--ro-bind", b, b));
            }
        }
        String s = scratch.toAbsolutePath().normalize().toString();
        c.addAll(List.of("--bind", s, s));
        for (Path h : hidden) {
            Path p = h.toAbsolutePath().normalize();
            if (Files.isDirectory(p) && binds.stream().anyMatch(b -> p.startsWith(b))) {
                c.addAll(List.of("--tmpfs", p.toString()));
            }
        }
        c.addAll(
                List.of("--chdir", s, "--unshare-all", "--die-with-parent", "--new-session", "--"));
        c.addAll(command);
        return c;
    }

    /**
     * Targets outside a folder of the links inside it (Debian's JDK links its {@code conf/} files
     * into {@code /etc}), so that the child sees them too.
     */
    private static List<String> linkTargets(Path dir) {
        Set<String> out = new LinkedHashSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isSymbolicLink)
                    .forEach(
                            l -> {
                                try {
                                    Path t = l.toRealPath();
                                    if (!t.startsWith(dir) && !t.startsWith("/usr")) {
                                        // bind the target's top folder under /etc (e.g.
                                        // /etc/java-17-openjdk), not /etc itself
                                        Path top =
                                                t.getNameCount() >= 2
                                                        ? t.getRoot().resolve(t.subpath(0, 2))
                                                        : t;
                                        out.add(top.toString());
                                    }
                                } catch (IOException dangling) {
                                    // nothing to bind
                                }
                            });
        } catch (IOException e) {
            // unreadable JDK: the child will say so
        }
        return new ArrayList<>(out);
    }

    private static Check runCheck(Path bwrap) {
        if (bwrap == null) {
            return new Check(
                    false,
                    "bubblewrap (bwrap) is not installed. Install it (Debian/Ubuntu: apt-get install bubblewrap), grade in the "
                            + "container (dllab grade ... --container), use the Gradescope or GitHub Classroom export, or pass --no-sandbox to accept "
                            + "the risk");
        }
        List<Path> planted = new ArrayList<>();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("dllab-canary-");
            Path outside = Files.createTempDirectory("dllab-planted-");
            planted.add(
                    Files.writeString(
                            outside.resolve("secret.txt"), "canary", StandardCharsets.UTF_8));
            Path home = Path.of(System.getProperty("user.home"), ".dllab");
            try {
                Files.createDirectories(home);
                planted.add(
                        Files.writeString(
                                home.resolve("canary-" + ProcessHandle.current().pid() + ".txt"),
                                "canary",
                                StandardCharsets.UTF_8));
            } catch (IOException readOnlyHome) {
                // the temporary folder's file is enough
            }
            StringBuilder script = new StringBuilder();
            for (Path p : planted) {
                script.append("cat '").append(p).append("' >/dev/null 2>&1 && exit 7; ");
            }
            script.append("exit 0");
            List<Path> readable = List.of(javaHome());
            List<String> cmd =
                    wrap(List.of("/bin/sh", "-c", script.toString()), readable, scratch, List.of());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            Process p = pb.start();
            p.getOutputStream().close();
            String out =
                    new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Check(false, "bubblewrap did not start within 20 s");
            }
            return switch (p.exitValue()) {
                case 0 ->
                        new Check(
                                true,
                                "checked: a canary in the sandbox could not read files planted outside it");
                case 7 ->
                        new Check(
                                false,
                                "the sandbox let a canary read a file planted outside it; refusing to run student code");
                default ->
                        new Check(
                                false,
                                "bubblewrap does not work here ("
                                        + (out.isEmpty() ? "exit " + p.exitValue() : out)
                                        + "; user namespaces disabled?). Grade in the container (--container), use the Gradescope export, or pass --no-sandbox");
            };
        } catch (IOException e) {
            return new Check(false, "bubblewrap could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "interrupted while checking the sandbox");
        } finally {
            try {
                for (Path p : planted) {
                    org.dllab.core.FileTrees.delete(
                            p.getParent().getFileName().toString().startsWith("dllab-planted-")
                                    ? p.getParent()
                                    : p);
                }
                if (scratch != null) {
                    org.dllab.core.FileTrees.delete(scratch);
                }
            } catch (IOException leftover) {
                // a temporary file left behind is harmless
            }
        }
    }

    private static Path javaHome() {
        try {
            return Path.of(System.getProperty("java.home")).toRealPath();
        } catch (IOException e) {
            return Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
        }
    }

    private static Path findBwrap() {
        for (String dir :
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "bwrap");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
