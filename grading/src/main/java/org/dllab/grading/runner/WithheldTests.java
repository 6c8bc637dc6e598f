package org.dllab.grading.runner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;

/**
 * Keeps the hidden tests' code away from student code. The grader's own classes are on the child's
 * classpath only as a copy without the hidden test classes ({@link ChildLibraries}), which is also
 * what student code is compiled against (a compile-time constant of a hidden test would otherwise
 * be copied into the student's class). The hidden classes' bytes go to the trusted runner over its
 * standard input ({@link #classes(String)}), and the runner defines them in memory: they are in no
 * file the child can open.
 */
public final class WithheldTests {

    /** The hidden classes of each homework, read once. */
    private static final Map<String, Map<String, byte[]>> CLASSES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private WithheldTests() {}

    /**
     * Whether a test class is hidden: every graded test in it is not {@link Visibility#VISIBLE}.
     *
     * @param testClass a graded test class
     * @return true for a hidden test class
     */
    public static boolean isHidden(Class<?> testClass) {
        List<Points> points =
                Arrays.stream(testClass.getDeclaredMethods())
                        .map(m -> m.getAnnotation(Points.class))
                        .filter(p -> p != null)
                        .toList();
        return !points.isEmpty()
                && points.stream().noneMatch(p -> p.visibility() == Visibility.VISIBLE);
    }

    /**
     * The classes the hidden tests run with: every class of their package (the hidden tests, their
     * nested classes, and the package-private helpers they share with the public tests, which must
     * be in the same class loader to be reachable), as the bytes of their class files.
     *
     * @param homework e.g. {@code hw1}
     * @return binary class name to class file bytes (empty in the student edition)
     * @throws IOException when the grader's own classes cannot be read
     */
    public static Map<String, byte[]> classes(String homework) throws IOException {
        Map<String, byte[]> cached = CLASSES.get(homework);
        if (cached
                == null) { // read once per homework: the grader's own classes do not change while
            // it runs
            cached = read(homework);
            CLASSES.putIfAbsent(homework, cached);
        }
        return cached;
    }

    private static Map<String, byte[]> read(String homework) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        List<String> packages =
                HomeworkRunner.testClasses(homework).stream()
                        .filter(WithheldTests::isHidden)
                        .map(c -> c.getPackageName().replace('.', '/') + "/")
                        .distinct()
                        .toList();
        if (packages.isEmpty()) {
            return out;
        }
        forEachClassFile(
                gradingLocation(),
                (name, bytes) -> {
                    for (String p : packages) {
                        if (name.startsWith(p) && name.indexOf('/', p.length()) < 0) {
                            out.put(
                                    name.substring(0, name.length() - ".class".length())
                                            .replace('/', '.'),
                                    bytes.get());
                        }
                    }
                });
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * The hidden test classes of every homework, as class file names without {@code .class} ({@code
     * org/dllab/grading/hw1/Hw1HiddenTest}): what the child's copy of the grader's classes leaves
     * out.
     *
     * @return the prefixes
     */
    static List<String> allHiddenClassFiles() {
        List<String> hidden = new ArrayList<>();
        for (String hw :
                java.util.stream.Stream.concat(
                                HomeworkRunner.homeworks().stream(),
                                HomeworkRunner.exams().stream())
                        .toList()) {
            HomeworkRunner.testClasses(hw).stream()
                    .filter(WithheldTests::isHidden)
                    .forEach(c -> hidden.add(c.getName().replace('.', '/')));
        }
        return hidden;
    }

    /**
     * Whether a class file or resource belongs to a hidden test class (itself or a nested class).
     *
     * @param entry a path in a jar or classes folder, e.g. {@code
     *     org/dllab/grading/hw1/Hw1HiddenTest$1.class}
     * @param prefixes from {@link #allHiddenClassFiles()}
     * @return true when it must not reach the child
     */
    static boolean isHiddenEntry(String entry, List<String> prefixes) {
        for (String p : prefixes) {
            if (entry.equals(p + ".class") || entry.startsWith(p + "$")) {
                return true;
            }
        }
        return false;
    }

    /** Where the grader's classes are: a folder (a build tree) or a jar. */
    static Path gradingLocation() {
        try {
            return Path.of(
                    HomeworkRunner.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Bytes {
        byte[] get() throws IOException;
    }

    interface EntryVisitor {
        void visit(String name, Bytes bytes) throws IOException;
    }

    private static void forEachClassFile(Path source, EntryVisitor v) throws IOException {
        forEachClassFileOrResource(
                source,
                (name, bytes) -> {
                    if (name.endsWith(".class")) {
                        v.visit(name, bytes);
                    }
                });
    }

    static void forEachClassFileOrResource(Path source, EntryVisitor v) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> s = Files.walk(source)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String name = source.relativize(p).toString().replace(File.separatorChar, '/');
                    v.visit(name, () -> Files.readAllBytes(p));
                }
            }
            return;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (!e.isDirectory() && !e.getName().equals("META-INF/MANIFEST.MF")) {
                    v.visit(
                            e.getName(),
                            () -> {
                                try (InputStream in = jar.getInputStream(e)) {
                                    return in.readAllBytes();
                                }
                            });
                }
            }
        }
    }

    /**
     * Writes the hidden classes in the runner's format: {@code HIDDEN n}, then n lines {@code name
     * base64}.
     *
     * @param classes from {@link #classes(String)}
     * @param out the child's standard input
     * @throws IOException when the child is gone
     */
    static void send(Map<String, byte[]> classes, OutputStream out) throws IOException {
        StringBuilder sb =
                new StringBuilder(ChildRunner.HIDDEN).append(classes.size()).append('\n');
        classes.forEach(
                (name, bytes) ->
                        sb.append(name)
                                .append(' ')
                                .append(java.util.Base64.getEncoder().encodeToString(bytes))
                                .append('\n'));
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
