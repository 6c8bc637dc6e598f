package org.dllab.grading.submission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dllab.grading.Assignments;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.ContainerSandbox;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.Sandbox;
import org.dllab.grading.runner.SandboxUnavailableException;
import org.dllab.grading.runner.SourceCompiler;
import org.dllab.grading.runner.TestOutcome;

/**
 * Grades one submission: stage the expected files, compile them, run every graded test in a child
 * JVM.
 */
public final class Grader {

    private final Path templates;
    private final long timeoutSeconds;
    private final List<Path> hidden;
    private final int childThreads;
    private final int maxTestSeconds;
    private final Sandbox.Mode sandbox;
    private final boolean hiddenInOwnJvm;
    private final String containerImage;

    /**
     * Creates a grader.
     *
     * @param templatesModule the {@code homework-templates} folder (the list of files each homework
     *     expects)
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
     * @param hidden folders student code must not see (reference solutions, the class export, the
     *     reports)
     */
    public Grader(Path templatesModule, long timeoutSeconds, List<Path> hidden) {
        this(
                templatesModule,
                timeoutSeconds,
                hidden,
                Runtime.getRuntime().availableProcessors(),
                0,
                Sandbox.Mode.REQUIRED,
                false,
                null);
    }

    private Grader(
            Path templatesModule,
            long timeoutSeconds,
            List<Path> hidden,
            int childThreads,
            int maxTestSeconds,
            Sandbox.Mode sandbox,
            boolean hiddenInOwnJvm,
            String containerImage) {
        this.templates = templatesModule;
        this.timeoutSeconds = timeoutSeconds;
        this.hidden = List.copyOf(hidden);
        this.childThreads = childThreads;
        this.maxTestSeconds = maxTestSeconds;
        this.sandbox = sandbox;
        this.hiddenInOwnJvm = hiddenInOwnJvm;
        this.containerImage = containerImage;
    }

    /**
     * The same grader running each test JVM in a container of the grader's image ({@link
     * ContainerSandbox}).
     *
     * @param image the image, e.g. {@link ContainerSandbox#DEFAULT_IMAGE}
     * @return the grader
     */
    public Grader inContainer(String image) {
        return new Grader(
                templates,
                timeoutSeconds,
                hidden,
                childThreads,
                maxTestSeconds,
                Sandbox.Mode.CONTAINER,
                hiddenInOwnJvm,
                image);
    }

    /**
     * The same grader running the hidden tests in a JVM of their own instead of a second phase of
     * the public tests' JVM (see {@link HomeworkRunner.Settings#hiddenInOwnJvm()}).
     *
     * @param own whether to
     * @return the grader
     */
    public Grader withHiddenTestsInOwnJvm(boolean own) {
        return new Grader(
                templates,
                timeoutSeconds,
                hidden,
                childThreads,
                maxTestSeconds,
                sandbox,
                own,
                containerImage);
    }

    /**
     * The same grader taking the expected files, and the stand-ins for missing ones, from another
     * folder: an exam's grader uses each student's own paper there ({@code
     * org.dllab.grading.exam.ExamGrading}).
     *
     * @param templatesFolder a folder with {@code src/main/java/<the assignment's package>/}
     * @return the grader
     */
    public Grader withTemplates(Path templatesFolder) {
        return new Grader(
                templatesFolder,
                timeoutSeconds,
                hidden,
                childThreads,
                maxTestSeconds,
                sandbox,
                hiddenInOwnJvm,
                containerImage);
    }

    /**
     * The same grader with another sandbox mode. The default, {@link Sandbox.Mode#REQUIRED},
     * refuses to run student code where the sandbox does not work; {@link Sandbox.Mode#OFF} is the
     * instructor's explicit {@code --no-sandbox}.
     *
     * @param mode the mode
     * @return the grader
     */
    public Grader withSandbox(Sandbox.Mode mode) {
        return new Grader(
                templates,
                timeoutSeconds,
                hidden,
                childThreads,
                maxTestSeconds,
                mode,
                hiddenInOwnJvm,
                containerImage);
    }

    /**
     * What isolates student code under this grader, for the reports (checks the sandbox first).
     *
     * @return e.g. {@code bubblewrap sandbox + security manager}
     * @throws SandboxUnavailableException when the sandbox is required and does not work
     */
    public String isolation() {
        if (sandbox == Sandbox.Mode.CONTAINER) {
            Sandbox.Check c = ContainerSandbox.check(containerImage);
            if (!c.works()) {
                throw new SandboxUnavailableException(c.detail());
            }
            return "container (" + containerImage + ") + security manager";
        }
        String box =
                Sandbox.use(sandbox)
                        ? "bubblewrap sandbox"
                        : sandbox == Sandbox.Mode.OFF ? "no sandbox (--no-sandbox)" : "no sandbox";
        return box + " + security manager";
    }

    /**
     * The same grader with a libtorch thread count for its test JVMs: with several submissions
     * graded at once, each JVM must use its share of the cores (measured: two JVMs of two threads
     * each on two cores ran 3x slower than one).
     *
     * @param threads threads per test JVM
     * @return the grader
     */
    public Grader withChildThreads(int threads) {
        return new Grader(
                templates,
                timeoutSeconds,
                hidden,
                Math.max(1, threads),
                maxTestSeconds,
                sandbox,
                hiddenInOwnJvm,
                containerImage);
    }

    /**
     * The same grader with each test's own time limit capped (a quicker verdict on code that hangs,
     * e.g. when grading on a fast machine or re-checking a hostile submission).
     *
     * @param seconds the cap; 0 for the tests' own limits
     * @return the grader
     */
    public Grader withTestTimeoutCap(int seconds) {
        return new Grader(
                templates,
                timeoutSeconds,
                hidden,
                childThreads,
                Math.max(0, seconds),
                sandbox,
                hiddenInOwnJvm,
                containerImage);
    }

    /**
     * The source files a homework expects (those of its template).
     *
     * @param homework e.g. {@code hw1}
     * @return file names
     * @throws IOException when the template is missing
     */
    public Set<String> expectedSources(String homework) throws IOException {
        Path dir = templates.resolve("src/main/java").resolve(Assignments.sourceFolder(homework));
        if (!Files.isDirectory(dir)) {
            throw new IOException("no template for " + homework + " in " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new LinkedHashSet<>(
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".java"))
                            .sorted()
                            .toList());
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
    public GradeReport grade(String homework, Path submission, String student, Path work)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        String isolation =
                isolation(); // refuses here, before anything of the submission is touched
        org.dllab.core.FileTrees.delete(
                work); // a fresh scratch folder: a regrade never sees an earlier attempt's files
        Files.createDirectories(work);
        Staging.Result staged =
                Staging.stage(
                        submission, homework, expectedSources(homework), work.resolve("staging"));
        List<String> notes = new ArrayList<>(staged.notes());
        if (!staged.missing().isEmpty()) {
            notes.add(
                    "missing files (the template's version was used, so their blanks score 0): "
                            + String.join(", ", staged.missing()));
            Path pkg = staged.sources().resolve(Assignments.sourceFolder(homework));
            for (String name : staged.missing()) {
                Files.copy(
                        templates
                                .resolve("src/main/java")
                                .resolve(Assignments.sourceFolder(homework))
                                .resolve(name),
                        pkg.resolve(name));
            }
        }
        if (Assignments.isHomework(homework)) { // an exam has no report
            if (!Files.exists(work.resolve("staging/REPORT.md"))) {
                notes.add("REPORT.md is missing");
            }
            notes.add("REPORT.md is graded by hand (not included in this score)");
        }
        Path classes = work.resolve("classes");
        Path template =
                templates.resolve("src/main/java").resolve(Assignments.sourceFolder(homework));
        ForbiddenApis.Scan forbidden = new ForbiddenApis.Scan(homework, template);
        List<String> errors =
                SourceCompiler.compile(staged.sources(), classes, forbidden::listener);
        if (errors.isEmpty()) {
            errors = SourceCompiler.outsidePackage(classes, Assignments.sourcePackage(homework));
        }
        List<TestOutcome> outcomes;
        if (!errors.isEmpty()) {
            notes.add(0, "the code does not compile; first error: " + errors.get(0));
            outcomes =
                    zeroes(homework, "not run: the code does not compile (" + errors.get(0) + ")");
        } else {
            outcomes =
                    HomeworkRunner.run(
                            homework,
                            classes,
                            new HomeworkRunner.Settings(
                                    List.of(Visibility.values()),
                                    timeoutSeconds,
                                    hidden,
                                    childThreads,
                                    maxTestSeconds,
                                    sandbox,
                                    hiddenInOwnJvm,
                                    containerImage));
            outcomes = penalise(outcomes, forbidden.uses(), notes);
        }
        return new GradeReport(
                homework,
                student,
                outcomes,
                notes,
                AiDeclarations.scan(staged.sources()),
                (System.nanoTime() - start) / 1e9,
                isolation);
    }

    /**
     * A forbidden API costs the blanks of the method it is in: every test that depends on one of
     * them scores 0.
     */
    static List<TestOutcome> penalise(
            List<TestOutcome> outcomes, List<ForbiddenApis.Use> uses, List<String> notes) {
        if (uses.isEmpty()) {
            return outcomes;
        }
        Set<String> lost = new LinkedHashSet<>();
        for (ForbiddenApis.Use u : uses) {
            notes.add(0, u.note());
            lost.addAll(u.blanks());
        }
        List<TestOutcome> out = new ArrayList<>();
        for (TestOutcome t : outcomes) {
            List<String> hit = t.blanks().stream().filter(lost::contains).toList();
            out.add(
                    hit.isEmpty()
                            ? t
                            : t.failedBecause(
                                    "0 points: blank(s) "
                                            + hit
                                            + " use an API this homework forbids (see the notes)"));
        }
        return out;
    }

    /**
     * The report of a submission that could not be graded at all (an unreadable zip, an I/O error):
     * every test 0, the reason as a note, so that a class batch still writes the student's row.
     *
     * @param homework e.g. {@code hw1}
     * @param student the student id
     * @param why what went wrong
     * @return the report
     */
    public static GradeReport ungradable(String homework, String student, String why) {
        return new GradeReport(
                homework,
                student,
                zeroes(homework, "not run: " + why),
                List.of("this submission could not be graded: " + why),
                List.of(),
                0,
                "not run");
    }

    private static List<TestOutcome> zeroes(String homework, String why) {
        List<TestOutcome> out = new ArrayList<>();
        HomeworkRunner.pointsTable(homework, List.of(Visibility.values()))
                .forEach(
                        (name, p) ->
                                out.add(
                                        new TestOutcome(
                                                name,
                                                0,
                                                p.value(),
                                                false,
                                                p.visibility(),
                                                List.of(p.blanks()),
                                                why,
                                                why,
                                                0)));
        return out;
    }
}
