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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The test JVM's library classpath: the grader's own ({@link HomeworkRunner#libraryClasspath()})
 * with every classes folder (a build tree's {@code target/classes}) replaced by a jar of it in
 * dllab's JVM cache folder, the grader's own classes without the hidden tests ({@link
 * WithheldTests}). Jars only, for two reasons: the sandbox binds each entry alone (a folder of the
 * repository would show more of it than the classes), and the JVM's class-data sharing archive
 * ({@link ChildJvmArchive}) refuses a classpath with a non-empty folder (measured here, HW1's
 * public tests in the test suite's layout: 3.6–4.3 s for their JVM without the archive, 1.7–2.1 s
 * with it). Each jar is written once per content of its folder.
 */
final class ChildLibraries {

    static final String CLASSPATH = compute();

    private ChildLibraries() {}

    private static String compute() {
        Path grading = WithheldTests.gradingLocation().toAbsolutePath().normalize();
        List<String> hidden = WithheldTests.allHiddenClassFiles();
        List<String> entries = new ArrayList<>();
        for (String e : HomeworkRunner.libraryClasspath().split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath().normalize();
            boolean isGrading = p.equals(grading);
            if (Files.isDirectory(p) || isGrading) {
                entries.add(jarOf(p, isGrading ? hidden : List.of()).toString());
            } else {
                entries.add(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * A jar of a folder or jar's files, leaving out the given class files, written once per
     * content.
     */
    private static Path jarOf(Path source, List<String> leaveOut) {
        try {
            // e.g. grading-target-classes-1a2b3c4d: readable, and a hash of the whole path keeps
            // two checkouts' jars apart
            // (pruning one checkout's old jars must never delete a jar another grader is using)
            int n = source.getNameCount();
            String base =
                    source.subpath(Math.max(0, n - 3), n)
                                    .toString()
                                    .replace(File.separatorChar, '-')
                                    .replace(".jar", "")
                            + "-"
                            + Integer.toHexString(source.toString().hashCode());
            Path jar =
                    ChildJvmArchive.folder()
                            .resolve(
                                    "lib-"
                                            + base.replaceAll("[^A-Za-z0-9._-]", "_")
                                            + "-"
                                            + fingerprint(source, leaveOut)
                                            + ".jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            Files.createDirectories(jar.getParent());
            Path tmp =
                    jar.resolveSibling(
                            jar.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                WithheldTests.forEachClassFileOrResource(
                        source,
                        (name, bytes) -> {
                            if (!WithheldTests.isHiddenEntry(name, leaveOut)) {
                                out.putNextEntry(new JarEntry(name));
                                out.write(bytes.get());
                                out.closeEntry();
                            }
                        });
            }
            Files.move(
                    tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune(jar, base);
            return jar;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot write the test JVM's copy of "
                            + source
                            + ": "
                            + e.getMessage()
                            + " (is the folder ~/.dllab/jvm, or the one beside DLLAB_CACHE, writable?)",
                    e);
        }
    }

    /**
     * Every rebuild makes new jars: keep the newest few of each (several checkouts may share the
     * folder).
     */
    private static void prune(Path keep, String base) throws IOException {
        String prefix = "lib-" + base.replaceAll("[^A-Za-z0-9._-]", "_") + "-";
        try (Stream<Path> s = Files.list(keep.getParent())) {
            List<Path> old =
                    s.filter(
                                    f ->
                                            f.getFileName().toString().startsWith(prefix)
                                                    && f.getFileName().toString().endsWith(".jar")
                                                    && !f.equals(keep))
                            .sorted(
                                    Comparator.comparing((Path f) -> f.toFile().lastModified())
                                            .reversed())
                            .toList();
            for (Path f : old.subList(Math.min(old.size(), 3), old.size())) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static String fingerprint(Path source, List<String> leaveOut) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((source + "\n" + leaveOut + "\n").getBytes(StandardCharsets.UTF_8));
            if (Files.isDirectory(source)) {
                try (Stream<Path> s = Files.walk(source)) {
                    for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                        md.update(
                                (source.relativize(p)
                                                + "\t"
                                                + Files.size(p)
                                                + "\t"
                                                + Files.getLastModifiedTime(p).toMillis()
                                                + "\n")
                                        .getBytes(StandardCharsets.UTF_8));
                    }
                }
            } else {
                md.update(
                        (Files.size(source) + "\t" + Files.getLastModifiedTime(source).toMillis())
                                .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
