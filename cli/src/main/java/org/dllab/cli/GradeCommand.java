package org.dllab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dllab.grading.runner.ContainerSandbox;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.Sandbox;
import org.dllab.grading.runner.TestOutcome;
import org.dllab.grading.submission.GradeReport;
import org.dllab.grading.submission.Grader;
import org.dllab.grading.submission.GradescopeResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dllab grade HW SUBMISSION [--json FILE]}: grade one submission with every test, public and
 * hidden.
 */
@Command(
        name = "grade",
        mixinStandardHelpOptions = true,
        subcommands = {GradeExportCommand.class, GradeSimilarityCommand.class},
        description =
                "Grade one submission (a folder or zip) with all tests: score, per-test results, feedback; "
                        + "--json writes Gradescope's results.json.")
final class GradeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HW", arity = "0..1", description = "e.g. hw1")
    String homework;

    @Parameters(
            index = "1",
            paramLabel = "SUBMISSION",
            arity = "0..1",
            description = "A folder or .zip (e.g. from 'dllab homework pack').")
    Path submission;

    @Option(
            names = "--reference",
            description = "Grade the reference solution (it must get full marks).")
    boolean reference;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write Gradescope's results.json here.")
    Path json;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "900",
            description = "Limit for the test run (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(
            names = "--test-timeout",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "Cap each test's own time limit (default: the limits the tests declare).")
    int testTimeout;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Scratch folder (default: a new temporary folder).")
    Path work;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "The dllab repository (default: $DLLAB_HOME or upwards from here).")
    Path root;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Grade a whole class: SUBMISSION is the class export (folder or zip, one folder or zip per student); "
                            + "writes students/ID/results.json and feedback.md, grades.csv, summary.md, histogram.png. Rerun to resume.")
    Path out;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            defaultValue = "1",
            description = "Submissions graded at once (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(
            names = "--no-sandbox",
            description =
                    "Run student code without bubblewrap (the risk is yours: it can read your files). "
                            + "Without it, grading refuses where the sandbox does not work. Recorded in the summary and each results.json.")
    boolean noSandbox;

    @Option(
            names = "--container",
            paramLabel = "IMAGE",
            arity = "0..1",
            fallbackValue = ContainerSandbox.DEFAULT_IMAGE,
            description =
                    "Run each test JVM in a container of the grader's image (podman or docker; default image ${FALLBACK-VALUE}): "
                            + "the sandbox on macOS and Windows. Build the image from the repository's Containerfile (docs/grading-security.md).")
    String container;

    @Option(
            names = "--hidden-in-own-jvm",
            description =
                    "Run the hidden tests in a test JVM of their own (default: in a second phase "
                            + "of the public tests' JVM, after every public result is out; their classes reach it only then). Stricter, and slower.")
    boolean hiddenInOwnJvm;

    @Option(
            names = "--show-hidden-output",
            description =
                    "Show students the failure messages of hidden tests (default: only each "
                            + "hidden test's name, points and one-line feedback; the instructor's reports always have the messages).")
    boolean showHiddenOutput;

    @Override
    public Integer call() throws Exception {
        if (homework == null) {
            throw new IllegalArgumentException(
                    "which homework? e.g. 'dllab grade hw1 SUBMISSION' (or 'dllab grade export hw1 ...')");
        }
        HomeworkRunner.testClasses(homework);
        if (jobs < 1 || timeout < 1 || testTimeout < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--jobs and --timeout must be at least 1, --test-timeout at least 0 (0: the tests' own limits)");
        }
        Path repo = RepoRoot.find(root);
        Path what;
        if (reference) {
            what = repo.resolve("solutions/src/main/java/org/dllab/hw").resolve(homework);
            if (!Files.isDirectory(repo.resolve("solutions"))) {
                throw new IllegalArgumentException(
                        "--reference: this copy has no reference solutions (a student edition); "
                                + "grade your own folder: 'dllab grade "
                                + homework
                                + " DIR' or 'dllab homework test "
                                + homework
                                + "'");
            }
        } else if (submission == null) {
            throw new IllegalArgumentException("give a SUBMISSION (folder or zip) or --reference");
        } else {
            what = submission;
        }
        if (!Files.exists(what)) {
            throw new java.io.IOException(what.toAbsolutePath() + " does not exist");
        }
        if (noSandbox && container != null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--no-sandbox and --container exclude each other");
        }
        Sandbox.Mode mode =
                container != null
                        ? Sandbox.Mode.CONTAINER
                        : noSandbox ? Sandbox.Mode.OFF : Sandbox.Mode.REQUIRED;
        if (this.out != null) {
            if (reference) {
                throw new IllegalArgumentException(
                        "--out grades a class export; --reference grades the reference alone");
            }
            System.out.println(Sandbox.description(mode));
            List<Path> hide =
                    List.of(
                            repo.resolve("solutions"),
                            what.toAbsolutePath(),
                            this.out.toAbsolutePath());
            Grader grader =
                    new Grader(repo.resolve("homework-templates"), timeout, hide)
                            .withTestTimeoutCap(testTimeout)
                            .withSandbox(mode)
                            .withHiddenTestsInOwnJvm(hiddenInOwnJvm);
            if (container != null) {
                grader = grader.inContainer(container);
            }
            var summary =
                    new org.dllab.grading.batch.BatchGrader(
                                    grader,
                                    repo.resolve("solutions/src/main/java/org/dllab/hw")
                                            .resolve(homework),
                                    jobs,
                                    System.out)
                            .showHiddenOutput(showHiddenOutput)
                            .run(homework, what, this.out);
            System.out.printf(
                    Locale.ROOT,
                    "%d students: mean %.2f, median %.2f. Reports in %s (grades.csv, summary.md, histogram.png)%n",
                    summary.rows().size(),
                    summary.mean(),
                    summary.median(),
                    this.out.toAbsolutePath());
            return 0;
        }
        Path scratch = work != null ? work : Files.createTempDirectory("dllab-grade-");
        PrintWriter out = spec.commandLine().getOut();
        out.println(Sandbox.description(mode));
        String student =
                reference ? "reference" : what.getFileName().toString().replaceFirst("\\.zip$", "");
        List<Path> hide = reference ? List.of() : List.of(repo.resolve("solutions"));
        Grader grader =
                new Grader(repo.resolve("homework-templates"), timeout, hide)
                        .withTestTimeoutCap(testTimeout)
                        .withSandbox(mode)
                        .withHiddenTestsInOwnJvm(hiddenInOwnJvm);
        if (container != null) {
            grader = grader.inContainer(container);
        }
        GradeReport report = grader.grade(homework, what, student, scratch);
        for (TestOutcome t : report.tests()) {
            out.printf(
                    Locale.ROOT,
                    "%s %-45s %4.1f / %4.1f  %s%n",
                    t.passed() ? "PASS" : "FAIL",
                    t.name().substring(t.name().lastIndexOf('.') + 1),
                    t.score(),
                    t.maxScore(),
                    t.visibility().name().toLowerCase(Locale.ROOT));
            if (!t.passed()) {
                out.println("       " + t.output());
            }
        }
        report.notes().forEach(n -> out.println("note: " + n));
        out.printf(
                Locale.ROOT,
                "%s %s: %.1f / %.1f points (%.0f s)%n",
                homework,
                student,
                report.score(),
                report.maxScore(),
                report.seconds());
        out.println("isolation: " + report.isolation());
        if (json != null) {
            GradescopeResults.write(report, json, showHiddenOutput);
            out.println("results.json written to " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }
}
