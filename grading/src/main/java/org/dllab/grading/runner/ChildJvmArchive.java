package org.dllab.grading.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive for the test JVMs: the JDK, JUnit, DJL and dllab classes parsed and
 * verified once and mapped into every later test JVM (measured for HW1 with the other {@link
 * HomeworkRunner} options: 1.6 s of user time without it, 1.2 s with it).
 *
 * <p>The archive is written once, before the first test JVM, by a warm-up JVM that runs only
 * trusted code ({@link ChildRunner#WARM_UP}: the engine and the test classes, with no homework on
 * the classpath), so no submission can plant anything in it. Its name hashes the JVM and the
 * library jars (paths, sizes, times): a rebuild or another JDK gets a fresh one, and the JVM itself
 * ignores an archive that does not match ({@code -Xshare:auto}). {@code DLLAB_CDS=off} switches it
 * off.
 */
public final class ChildJvmArchive {

    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final Path file;
    private final String libraryClasspath;

    private ChildJvmArchive(Path file, String libraryClasspath) {
        this.file = file;
        this.libraryClasspath = libraryClasspath;
    }

    /**
     * The archive for a library classpath, in {@code ~/.dllab/jvm} (or beside {@code DLLAB_CACHE}).
     *
     * @param libraryClasspath the classpath every test JVM starts with
     * @return the archive (which may not exist yet), or null when switched off
     */
    public static ChildJvmArchive forClasspath(String libraryClasspath) {
        if ("off".equalsIgnoreCase(System.getenv("DLLAB_CDS"))) {
            return null;
        }
        return new ChildJvmArchive(
                folder().resolve("child-" + fingerprint(libraryClasspath) + ".jsa"),
                libraryClasspath);
    }

    /**
     * The options that make a test JVM use the archive, writing it first if needed.
     *
     * @return the options, or none when no archive could be made
     */
    public List<String> jvmOptions() {
        synchronized (ChildJvmArchive.class) { // parallel graders wait for one warm-up
            if (!Files.isReadable(file)) {
                create();
            }
        }
        if (!Files.isReadable(file)) {
            return List.of();
        }
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + file));
        options.addAll(QUIET);
        return options;
    }

    /**
     * Where the archive lives (the sandbox must let the child read it).
     *
     * @return the archive's path
     */
    public Path file() {
        return file;
    }

    private void create() {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp =
                    file.resolveSibling(
                            file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString()));
            cmd.addAll(HomeworkRunner.JVM_OPTIONS);
            cmd.add("-XX:ArchiveClassesAtExit=" + tmp);
            cmd.addAll(QUIET);
            cmd.addAll(
                    List.of(
                            "-Dai.djl.offline=true",
                            "-DOPT_OUT_TRACKING=true",
                            "-cp",
                            libraryClasspath,
                            ChildRunner.class.getName(),
                            ChildRunner.WARM_UP));
            for (String homework : HomeworkRunner.homeworks()) {
                for (Class<?> c : HomeworkRunner.testClasses(homework)) {
                    if (!WithheldTests.isHidden(
                            c)) { // not on the child's classpath, and never in a file it can read
                        cmd.add(c.getName());
                    }
                }
            }
            ProcessBuilder pb =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DJL_OFFLINE", "true");
            pb.environment().put("OPT_OUT_TRACKING", "true");
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return;
            }
            if (p.exitValue() == 0 && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                pruneOld();
            }
        } catch (IOException e) {
            // no archive: test JVMs just start slower
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless
                }
            }
        }
    }

    /**
     * Every rebuild makes a new archive (8 MB): keep the newest few (several checkouts may share
     * the folder).
     */
    private void pruneOld() throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(file.getParent())) {
            List<Path> old =
                    s.filter(
                                    f ->
                                            f.getFileName()
                                                            .toString()
                                                            .matches("child-[0-9a-f]+\\.jsa")
                                                    && !f.equals(file))
                            .sorted(
                                    java.util.Comparator.comparing(
                                                    (Path f) -> f.toFile().lastModified())
                                            .reversed())
                            .toList();
            for (Path f : old.subList(Math.min(old.size(), 2), old.size())) {
                Files.deleteIfExists(f);
            }
        }
    }

    static Path folder() {
        String cache = System.getenv("DLLAB_CACHE");
        Path base =
                cache != null && !cache.isBlank()
                        ? Path.of(cache).toAbsolutePath().getParent()
                        : null;
        return (base != null ? base : Path.of(System.getProperty("user.home"), ".dllab"))
                .resolve("jvm");
    }

    private static String fingerprint(String classpath) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(
                    (System.getProperty("java.home")
                                    + "\n"
                                    + System.getProperty("java.vm.version")
                                    + "\n"
                                    + HomeworkRunner.JVM_OPTIONS
                                    + "\n")
                            .getBytes(StandardCharsets.UTF_8));
            for (String e : classpath.split(File.pathSeparator)) {
                File f = new File(e);
                md.update(
                        (e + "\t" + f.length() + "\t" + f.lastModified() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
