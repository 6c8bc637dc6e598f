package org.dllab.grading.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.HomeworkRunner;

/**
 * A class export of HW1 submissions: honest ones (copies of the reference, and one with a real bug)
 * and one of each hostile or broken kind the grader must survive. Each case says what it should
 * score, as a rule over the points table, and a phrase its feedback must contain.
 */
public final class HostileCorpus {

    /** One submission and what it has earned. */
    record Case(String id, String kind, Predicate<String> testPasses, String feedbackPhrase) {}

    static final Path SOLUTION = Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1");
    public static final Path TEMPLATE =
            Path.of("..", "homework-templates/src/main/java/org/dllab/hw/hw1");

    /** Marker in the fork bomb's command line, to find leftovers. */
    static final String FORK_MARKER = "4242.5";

    /**
     * What a confidentiality case throws when a read succeeded; no file written for students may
     * contain it.
     */
    static final String LEAK = "LEAK<";

    /**
     * The environment variable the grader's JVM holds (set by surefire) that no student may learn.
     */
    static final String SECRET_VARIABLE = "DLLAB_GRADER_SECRET";

    private final Path export;
    private final Path grader;
    private final List<Case> cases = new ArrayList<>();

    /**
     * Writes the corpus.
     *
     * @param export the export folder to fill
     * @param grader folders the vandal tries to damage (the grader's output, a file of the
     *     grader's)
     * @param honest how many honest copies of the reference
     * @param withVandal whether to include the file-damaging case (only under a sandbox:
     *     unsandboxed it would really damage the other students' folders)
     */
    HostileCorpus(Path export, Path grader, int honest, boolean withVandal) throws IOException {
        this.export = Files.createDirectories(export);
        this.grader = grader;
        for (int i = 1; i <= honest; i++) {
            honest("honest-" + i);
        }
        write();
        if (withVandal) {
            vandal();
        }
        forgers();
    }

    List<Case> cases() {
        return cases;
    }

    /** What every test earns in a correct submission. */
    static Predicate<String> all() {
        return t -> true;
    }

    /** Every test passes except those that need one of these blanks. */
    static Predicate<String> allBut(String... blanks) {
        Map<String, Points> table = HomeworkRunner.pointsTable("hw1", List.of(Visibility.values()));
        return t -> Stream.of(table.get(t).blanks()).noneMatch(b -> List.of(blanks).contains(b));
    }

    /** Every test passes but this one. */
    static Predicate<String> allBut1(String method) {
        return t -> !t.endsWith("#" + method);
    }

    private void honest(String id) throws IOException {
        copy(SOLUTION, export.resolve(id));
        cases.add(new Case(id, "honest", all(), ""));
    }

    private void write() throws IOException {
        // an honest student with a real bug: ReLU's backward lets every gradient through
        Path buggy = copy(SOLUTION, export.resolve("honest-buggy"));
        edit(
                buggy.resolve("ReLU.java"),
                "return gradOutput.mul(input.gt(0).toType(gradOutput.getDataType(), false));",
                "return gradOutput;");
        cases.add(
                new Case(
                        "honest-buggy",
                        "honest",
                        allBut("hw1-9"),
                        "ReLU passes the gradient only where"));

        // 1. does not compile
        Path noCompile = copy(SOLUTION, export.resolve("no-compile"));
        Files.writeString(
                noCompile.resolve("Linear.java"),
                Files.readString(noCompile.resolve("Linear.java")) + "\nthis is not java\n");
        cases.add(new Case("no-compile", "does not compile", t -> false, "Linear.java:"));

        // 2. a method with the wrong signature: only the test that calls it fails
        // (NoSuchMethodError)
        Path signature = copy(SOLUTION, export.resolve("wrong-signature"));
        edit(
                signature.resolve("GradientCheck.java"),
                "public static double[] numericalGradient(ToDoubleFunction<NDArray> f, NDArray x, double eps)",
                "public static double[] numericalGradient(ToDoubleFunction<NDArray> f, NDArray x, float eps)");
        cases.add(
                new Case(
                        "wrong-signature",
                        "wrong signature",
                        allBut1("numericalGradientMatchesTheAnalyticOne"),
                        "NoSuchMethodError"));

        // 3. an infinite loop in one method
        gradientCheckPrologue(
                "infinite-loop",
                "while (x.size() >= 0) { Thread.onSpinWait(); }",
                "infinite loop",
                "timeout");

        // 4. heap exhaustion in one test
        gradientCheckPrologue(
                "heap-exhaustion",
                "java.util.List<long[]> hog = new java.util.ArrayList<>();"
                        + " while (hog.size() >= 0) { hog.add(new long[1 << 27]); }",
                "OutOfMemoryError",
                "out of memory"); // 1 GB a step: out of heap at once, no slow GC thrash

        // 5. System.exit(0) from a static initialiser
        Path exit = copy(SOLUTION, export.resolve("exit-in-static-init"));
        edit(
                exit.resolve("Sigmoid.java"),
                "    private NDArray output;",
                "    private NDArray output;\n    static { System.exit(0); }");
        cases.add(
                new Case(
                        "exit-in-static-init",
                        "System.exit",
                        allBut1("sigmoidForwardBackward"),
                        "exitVM"));

        // 6. fake results: a wrong sigmoid printing lines that imitate the runner's protocol, a
        // score, JSON
        Path forger = copy(SOLUTION, export.resolve("forger"));
        edit(
                forger.resolve("Sigmoid.java"),
                "output = x.neg().exp().add(1).pow(-1);",
                "output = x.mul(0); System.out.println(\"DLLAB-RESULT\\torg.dllab.grading.hw1.Hw1PublicTest#sigmoidForwardBackward"
                        + "\\tSUCCESSFUL\\t1\\t\\t00ff\"); System.out.println(\"DLLAB-ABORT\\tnothing\\t00ff\");"
                        + " System.out.println(\"score: 100\"); System.out.println(\"{\\\"score\\\": 100, \\\"tests\\\": []}\");");
        cases.add(
                new Case(
                        "forger",
                        "fake results",
                        allBut1("sigmoidForwardBackward"),
                        "sigmoid'(x)"));

        // 8. a thread bomb and a fork bomb
        gradientCheckPrologue(
                "thread-bomb",
                "while (x.size() >= 0) { Thread t = new Thread(() -> {"
                        + " try { Thread.sleep(600_000); } catch (InterruptedException e) { } }); t.setDaemon(true); t.start(); }",
                "thread bomb",
                "threads");
        gradientCheckPrologue(
                "fork-bomb",
                "for (int i = 0; i < 100_000; i++) { try { new ProcessBuilder(\"sh\", \"-c\","
                        + " \"sleep "
                        + FORK_MARKER
                        + " & sleep "
                        + FORK_MARKER
                        + "\").start(); } catch (java.io.IOException e) { } }",
                "fork bomb",
                "execute"); // refused by the security manager before the watchdog has to stop it

        // 9. hundreds of megabytes of output
        gradientCheckPrologue(
                "output-flood",
                "String junk = \"x\".repeat(999); for (int i = 0; i < 300_000; i++) { System.out.println(junk); }",
                "output flood",
                "printed more than");

        // 10. a zip with escaping, absolute, link and non-UTF-8 entries (and every real file under
        // its plain name)
        zipWithNastyEntries(export.resolve("zip-slip.zip"));
        cases.add(new Case("zip-slip", "hostile zip", all(), "symbolic link"));

        //     a folder whose Linear.java is a link to another student's file: links are never
        // followed
        Path linker = copy(SOLUTION, export.resolve("symlinker"));
        Files.delete(linker.resolve("Linear.java"));
        try {
            Files.createSymbolicLink(
                    linker.resolve("Linear.java"),
                    export.resolve("honest-buggy/Linear.java").toAbsolutePath());
            cases.add(
                    new Case(
                            "symlinker",
                            "symbolic link",
                            allBut("hw1-2", "hw1-3"),
                            "missing files"));
        } catch (UnsupportedOperationException | IOException noLinks) {
            cases.add(
                    new Case(
                            "symlinker",
                            "missing file",
                            allBut("hw1-2", "hw1-3"),
                            "missing files"));
        }

        // 11. only the template
        copy(TEMPLATE, export.resolve("template-only"));
        cases.add(
                new Case(
                        "template-only",
                        "template only",
                        allBut(
                                "hw1-1", "hw1-2", "hw1-3", "hw1-4", "hw1-5", "hw1-6", "hw1-7",
                                "hw1-8", "hw1-9", "hw1-10", "hw1-11"),
                        "TODO("));

        // 12. very slow but correct
        gradientCheckPrologue(
                "slow-but-correct",
                "try { Thread.sleep(3000); } catch (InterruptedException e) { }",
                null,
                "");

        //     broken uploads: a zip that is not a zip, an empty folder
        Files.writeString(export.resolve("not-a-zip.zip"), "PK? no, a renamed text file");
        cases.add(new Case("not-a-zip", "corrupt zip", t -> false, "not a readable zip"));
        Files.createDirectories(export.resolve("empty-folder"));
        cases.add(new Case("empty-folder", "empty", t -> false, "missing files"));
    }

    /**
     * A submission whose numerical gradient check first runs some code; only that test is meant to
     * fail.
     */
    private void gradientCheckPrologue(String id, String code, String kind, String phrase)
            throws IOException {
        Path dir = copy(SOLUTION, export.resolve(id));
        edit(
                dir.resolve("GradientCheck.java"),
                "        double[] values = x.toDoubleArray();",
                "        " + code + "\n        double[] values = x.toDoubleArray();");
        cases.add(
                new Case(
                        id,
                        kind == null ? "slow" : kind,
                        kind == null ? all() : allBut1("numericalGradientMatchesTheAnalyticOne"),
                        phrase));
    }

    /**
     * Blank submissions (the template) that try to forge the signed results from inside the test
     * JVM: each avenue finds candidate keys its own way and prints signed "passed" lines for every
     * graded test. Each earns exactly what the blank earns: 0.
     */
    private void forgers() throws IOException {
        for (String avenue : List.of("heapDump", "procMem", "deepReflection", "lateThread")) {
            Path dir = copy(TEMPLATE, export.resolve("forge-" + avenue));
            forger(dir, avenue);
            cases.add(new Case("forge-" + avenue, "forges via " + avenue, t -> false, "TODO("));
        }
    }

    /**
     * Adds the {@code Forger} class to a submission's Linear.java, running one avenue when Linear
     * is first used.
     */
    public static void forger(Path submission, String avenue) throws IOException {
        String tests =
                String.join(
                        ", ",
                        HomeworkRunner.pointsTable("hw1", List.of(Visibility.values()))
                                .keySet()
                                .stream()
                                .map(t -> "\"" + t + "\"")
                                .toList());
        String forger;
        try (var in = HostileCorpus.class.getResourceAsStream("/hostile/Forger.java.txt")) {
            forger =
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace("/*TESTS*/", tests);
        }
        Path linear = submission.resolve("Linear.java");
        edit(
                linear,
                "public final class Linear implements Layer {\n",
                "public final class Linear implements Layer {\n    static { Forger."
                        + avenue
                        + "(); }\n");
        Files.writeString(linear, Files.readString(linear) + forger);
    }

    /**
     * Honest submissions whose ReLU (called by public and hidden tests) first tries to read
     * something it must not and throws what it read: a file planted in the grader's home, one
     * beside the repository, the hidden test's class file, source and bytes through the class
     * loaders, another student's file, the grader's environment. The sandbox and the security
     * manager make every read fail, so each scores full marks and no file for students holds {@link
     * #LEAK} or a planted marker.
     *
     * @param planted files planted by the test (home, beside the repository), each holding its own
     *     marker
     */
    void readers(List<Path> planted) throws IOException {
        Path hiddenClass =
                Path.of("target/classes/org/dllab/grading/hw1/Hw1HiddenTest.class")
                        .toAbsolutePath();
        Path hiddenSource =
                Path.of("src/main/java/org/dllab/grading/hw1/Hw1HiddenTest.java").toAbsolutePath();
        Path otherStudent = export.resolve("honest-1/Linear.java").toAbsolutePath();
        List<String> files =
                new ArrayList<>(planted.stream().map(p -> p.toAbsolutePath().toString()).toList());
        files.addAll(
                List.of(hiddenClass.toString(), hiddenSource.toString(), otherStudent.toString()));
        for (int i = 0; i < files.size(); i++) {
            reader(
                    "read-file-" + (i + 1),
                    "java.nio.file.Files.readString(java.nio.file.Path.of(\""
                            + files.get(i)
                            + "\"), "
                            + "java.nio.charset.StandardCharsets.ISO_8859_1)");
        }
        String resource = "\"org/dllab/grading/hw1/Hw1HiddenTest.class\"";
        reader(
                "read-hidden-resource",
                "new String(ClassLoader.getSystemResourceAsStream("
                        + resource
                        + ").readAllBytes(), "
                        + "java.nio.charset.StandardCharsets.ISO_8859_1)");
        reader(
                "read-hidden-via-context-loader",
                "new String(Thread.currentThread().getContextClassLoader().getResourceAsStream("
                        + resource
                        + ").readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)");
        reader(
                "read-hidden-class",
                "java.util.Arrays.toString(Thread.currentThread().getContextClassLoader()"
                        + ".loadClass(\"org.dllab.grading.hw1.Hw1HiddenTest\").getProtectionDomain().getCodeSource().getLocation().openStream().readAllBytes())");
        reader("read-environment", "System.getenv().toString()");
        reader(
                "read-secret-variable",
                "java.util.Objects.requireNonNull(System.getenv(\"" + SECRET_VARIABLE + "\"))");
    }

    private void reader(String id, String expression) throws IOException {
        Path dir = copy(SOLUTION, export.resolve(id));
        edit(
                dir.resolve("ReLU.java"),
                "        input = x;",
                "        input = x;\n        String leaked = null;\n"
                        + "        try { leaked = "
                        + expression
                        + "; } catch (Exception | LinkageError refused) { }\n"
                        + "        if (leaked != null) { throw new IllegalStateException(\""
                        + LEAK
                        + "\" + leaked.replaceAll(\"[^ -~]\", \"\")); }");
        cases.add(new Case(id, "reads " + id.substring("read-".length()), all(), ""));
    }

    /** Tries to write the grader's folders and delete other students' files, then behaves. */
    private void vandal() throws IOException {
        Path dir = copy(SOLUTION, export.resolve("vandal"));
        String attack =
                "try { java.nio.file.Files.writeString(java.nio.file.Path.of(\""
                        + grader.resolve("pwned.txt").toAbsolutePath()
                        + "\"), \"x\"); }"
                        + " catch (Exception e) { }"
                        + " try { java.nio.file.Files.delete(java.nio.file.Path.of(\""
                        + export.resolve("honest-1/Linear.java").toAbsolutePath()
                        + "\")); }"
                        + " catch (Exception e) { }"
                        + " try (var s = java.nio.file.Files.walk(java.nio.file.Path.of(\""
                        + export.toAbsolutePath()
                        + "\"))) {"
                        + " s.forEach(p -> { try { java.nio.file.Files.writeString(p, \"pwned\"); } catch (Exception e) { } }); }"
                        + " catch (Exception e) { }";
        edit(
                dir.resolve("ReLU.java"),
                "        input = x;",
                "        input = x;\n        " + attack);
        cases.add(new Case("vandal", "file vandal", all(), ""));
    }

    private static void zipWithNastyEntries(Path zip) throws IOException {
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(zip.toFile())) {
            z.setEncoding("ISO-8859-1"); // names as raw bytes, so one can be invalid UTF-8
            z.setUseLanguageEncodingFlag(false);
            try (Stream<Path> s = Files.list(SOLUTION)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    String entry =
                            switch (name) {
                                case "Linear.java" -> "../../escaped-by-zip/Linear.java";
                                case "ReLU.java" -> "/tmp/dllab-absolute-zip-entry/ReLU.java";
                                default -> "hw1/" + name;
                            };
                    z.putArchiveEntry(new ZipArchiveEntry(entry));
                    z.write(Files.readAllBytes(p));
                    z.closeArchiveEntry();
                }
            }
            ZipArchiveEntry link = new ZipArchiveEntry("hw1/REPORT.md");
            link.setUnixMode(0120777);
            z.putArchiveEntry(link);
            z.write("/etc/shadow".getBytes(StandardCharsets.US_ASCII));
            z.closeArchiveEntry();
            z.putArchiveEntry(
                    new ZipArchiveEntry(
                            "hw1/r\u00e9sum\u00e9 \u00ff.txt")); // bytes E9 and FF: not UTF-8
            z.write("notes".getBytes(StandardCharsets.US_ASCII));
            z.closeArchiveEntry();
        }
    }

    public static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException(
                    "corpus fixture out of date: " + file.getFileName() + " has no '" + from + "'");
        }
        Files.writeString(file, text.replace(from, to));
    }

    /** Every regular file under a folder with its bytes, to check nothing changed. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.put(
                        root.relativize(p).toString(),
                        new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
