package org.dllab.grading.similarity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dllab.grading.batch.ClassExport;
import org.dllab.grading.submission.Grader;
import org.dllab.grading.submission.Staging;

/**
 * JPlag on a class export: only each student's homework files are compared (staged as for grading),
 * with the template as base code so that what everyone was given does not count. Writes {@code
 * similarity.csv} (most similar pairs first) and JPlag's report ({@code jplag-report.zip}, for
 * JPlag's report viewer). JPlag 6 needs Java 21+: it runs in a separate JVM found through {@code
 * DLLAB_JPLAG_JAVA} or among the JDKs installed beside this one.
 */
public final class Similarity {

    /**
     * One pair.
     *
     * @param first a student
     * @param second another student
     * @param average JPlag's average similarity (0..1)
     * @param maximum JPlag's maximum similarity (0..1)
     */
    public record Pair(String first, String second, double average, double maximum) {}

    private Similarity() {}

    /**
     * Compares every pair of students.
     *
     * @param homework e.g. {@code hw1}
     * @param export the class export
     * @param templatesModule the {@code homework-templates} folder (the base code)
     * @param out the output folder
     * @param top pairs kept in the CSV
     * @return all pairs, most similar first
     * @throws IOException when JPlag cannot run or fails
     * @throws InterruptedException when interrupted
     */
    public static List<Pair> run(
            String homework, Path export, Path templatesModule, Path out, int top)
            throws IOException, InterruptedException {
        Path work = out.resolve("similarity-work");
        org.dllab.core.FileTrees.delete(work);
        Path root = Files.createDirectories(work.resolve("submissions"));
        Set<String> expected = new Grader(templatesModule, 60).expectedSources(homework);
        for (Map.Entry<String, Path> s :
                ClassExport.students(export, work).submissions().entrySet()) {
            Staging.stage(s.getValue(), homework, expected, root.resolve(s.getKey()));
        }
        Path base = Files.createDirectories(work.resolve("basecode"));
        for (String name : expected) {
            Files.copy(
                    templatesModule
                            .resolve("src/main/java/org/dllab/hw")
                            .resolve(homework)
                            .resolve(name),
                    base.resolve(name));
        }
        Path report = out.resolve("jplag-report.zip");
        ProcessBuilder pb =
                new ProcessBuilder(
                                java21().toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                JPlagMain.class.getName(),
                                root.toString(),
                                base.toString(),
                                report.toString())
                        .redirectErrorStream(true);
        Process p = pb.start();
        List<Pair> pairs = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t");
                if (f.length == 5 && f[0].equals("PAIR")) {
                    pairs.add(
                            new Pair(
                                    f[1],
                                    f[2],
                                    Double.parseDouble(f[3]),
                                    Double.parseDouble(f[4])));
                } else if (other.size() < 20) {
                    other.add(line);
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(
                    "JPlag failed (exit "
                            + (p.isAlive() ? "timeout" : p.exitValue())
                            + "): "
                            + String.join(" | ", other));
        }
        pairs.sort(Comparator.comparingDouble(Pair::average).reversed());
        try (Writer w =
                        Files.newBufferedWriter(
                                out.resolve("similarity.csv"), StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            csv.printRecord("student_a", "student_b", "average_similarity", "maximum_similarity");
            for (Pair pair : pairs.subList(0, Math.min(top, pairs.size()))) {
                csv.printRecord(
                        pair.first(),
                        pair.second(),
                        String.format(java.util.Locale.ROOT, "%.3f", pair.average()),
                        String.format(java.util.Locale.ROOT, "%.3f", pair.maximum()));
            }
        }
        return pairs;
    }

    /**
     * A {@code java} of version 21 or newer: {@code DLLAB_JPLAG_JAVA}, this JVM if new enough, or a
     * JDK installed beside it (e.g. {@code /usr/lib/jvm/temurin-25-jdk-amd64}).
     *
     * @return the java binary
     * @throws IOException when there is none
     */
    public static Path java21() throws IOException {
        String env = System.getenv("DLLAB_JPLAG_JAVA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        Path jvms = Path.of(System.getProperty("java.home")).toAbsolutePath().getParent();
        if (jvms != null && Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                for (Path home : s.sorted(Comparator.reverseOrder()).toList()) {
                    Path release = home.resolve("release");
                    Path java = home.resolve("bin/java");
                    if (Files.isRegularFile(release)
                            && Files.isExecutable(java)
                            && feature(Files.readString(release)) >= 21) {
                        return java;
                    }
                }
            }
        }
        throw new IOException(
                "JPlag 6 needs Java 21 or newer and none was found beside "
                        + System.getProperty("java.home")
                        + ": install one (e.g. Temurin 21+) and set DLLAB_JPLAG_JAVA to its bin/java");
    }

    private static int feature(String release) {
        for (String line : release.lines().toList()) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring(13).replace("\"", "");
                try {
                    return Integer.parseInt(v.split("[.+-]")[0]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
