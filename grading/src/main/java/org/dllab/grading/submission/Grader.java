package org.dllab.grading.submission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.SourceCompiler;
import org.dllab.grading.runner.TestOutcome;

/** Grades one submission: stage the expected files, compile them, run every graded test in a child JVM. */
public final class Grader {

    private final Path templates;
    private final long timeoutSeconds;
    private final List<Path> hidden;
    private final int childThreads;
    private final int maxTestSeconds;

    /**
     * Creates a grader.
     *
     * @param templatesModule the {@code homework-templates} folder (the list of files each homework expects)
     * @param timeoutSeconds wall-clock limit of one submission's test run
     */
    public Grader(Path templatesModule, long timeoutSeconds) {
        this(templatesModule, timeoutSeconds, List.of());
    }

    /**
     * Creates a grader whose sandbox hides some folders from student code.
     *
     * @param templatesModule the {@code homework-templates} folder
     * @param timeoutSeconds wall-clock limit of one submission's test run
     * @param hidden folders student code must not see (reference solutions, the class export, the reports)
     */
    public Grader(Path templatesModule, long timeoutSeconds, List<Path> hidden) {
        this(templatesModule, timeoutSeconds, hidden, Runtime.getRuntime().availableProcessors(), 0);
    }

    private Grader(Path templatesModule, long timeoutSeconds, List<Path> hidden, int childThreads, int maxTestSeconds) {
        this.templates = templatesModule;
        this.timeoutSeconds = timeoutSeconds;
        this.hidden = List.copyOf(hidden);
        this.childThreads = childThreads;
        this.maxTestSeconds = maxTestSeconds;
    }

    /**
     * The same grader with a libtorch thread count for its test JVMs: with several submissions graded at once, each
     * JVM must use its share of the cores (measured: two JVMs of two threads each on two cores ran 3x slower than one).
     *
     * @param threads threads per test JVM
     * @return the grader
     */
    public Grader withChildThreads(int threads) {
        return new Grader(templates, timeoutSeconds, hidden, Math.max(1, threads), maxTestSeconds);
    }

    /**
     * The same grader with each test's own time limit capped (a quicker verdict on code that hangs, e.g. when
     * grading on a fast machine or re-checking a hostile submission).
     *
     * @param seconds the cap; 0 for the tests' own limits
     * @return the grader
     */
    public Grader withTestTimeoutCap(int seconds) {
        return new Grader(templates, timeoutSeconds, hidden, childThreads, Math.max(0, seconds));
    }

    /**
     * The source files a homework expects (those of its template).
     *
     * @param homework e.g. {@code hw1}
     * @return file names
     * @throws IOException when the template is missing
     */
    public Set<String> expectedSources(String homework) throws IOException {
        Path dir = templates.resolve("src/main/java/org/dllab/hw").resolve(homework);
        if (!Files.isDirectory(dir)) {
            throw new IOException("no template for " + homework + " in " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new LinkedHashSet<>(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).sorted().toList());
        }
    }

    /**
     * Grades a submission.
     *
     * @param homework e.g. {@code hw1}
     * @param submission a folder or zip
     * @param student the id to report
     * @param work a scratch folder for this submission (created, and left for inspection)
     * @return the grade
     * @throws IOException on unreadable input
     * @throws InterruptedException when interrupted
     */
    public GradeReport grade(String homework, Path submission, String student, Path work) throws IOException, InterruptedException {
        long start = System.nanoTime();
        org.dllab.core.FileTrees.delete(work); // a fresh scratch folder: a regrade never sees an earlier attempt's files
        Files.createDirectories(work);
        Staging.Result staged = Staging.stage(submission, homework, expectedSources(homework), work.resolve("staging"));
        List<String> notes = new ArrayList<>(staged.notes());
        if (!staged.missing().isEmpty()) {
            notes.add("missing files (the template's version was used, so their blanks score 0): " + String.join(", ", staged.missing()));
            Path pkg = staged.sources().resolve("org/dllab/hw").resolve(homework);
            for (String name : staged.missing()) {
                Files.copy(templates.resolve("src/main/java/org/dllab/hw").resolve(homework).resolve(name), pkg.resolve(name));
            }
        }
        if (!Files.exists(work.resolve("staging/REPORT.md"))) {
            notes.add("REPORT.md is missing");
        }
        notes.add("REPORT.md is graded by hand (not included in this score)");
        Path classes = work.resolve("classes");
        List<String> errors = SourceCompiler.compile(staged.sources(), classes);
        List<TestOutcome> outcomes;
        if (!errors.isEmpty()) {
            notes.add(0, "the code does not compile; first error: " + errors.get(0));
            outcomes = zeroes(homework, "not run: the code does not compile (" + errors.get(0) + ")");
        } else {
            outcomes = HomeworkRunner.run(homework, classes,
                    new HomeworkRunner.Settings(List.of(Visibility.values()), timeoutSeconds, hidden, childThreads, maxTestSeconds));
        }
        return new GradeReport(homework, student, outcomes, notes, AiDeclarations.scan(staged.sources()),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The report of a submission that could not be graded at all (an unreadable zip, an I/O error): every test 0,
     * the reason as a note, so that a class batch still writes the student's row.
     *
     * @param homework e.g. {@code hw1}
     * @param student the student id
     * @param why what went wrong
     * @return the report
     */
    public static GradeReport ungradable(String homework, String student, String why) {
        return new GradeReport(homework, student, zeroes(homework, "not run: " + why),
                List.of("this submission could not be graded: " + why), List.of(), 0);
    }

    private static List<TestOutcome> zeroes(String homework, String why) {
        List<TestOutcome> out = new ArrayList<>();
        HomeworkRunner.pointsTable(homework, List.of(Visibility.values())).forEach((name, p) ->
                out.add(new TestOutcome(name, 0, p.value(), false, p.visibility(), List.of(p.blanks()), why, 0)));
        return out;
    }
}
