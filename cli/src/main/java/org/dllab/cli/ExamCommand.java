package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dllab.grading.exam.BugSlot;
import org.dllab.grading.exam.Concepts;
import org.dllab.grading.exam.ExamGrading;
import org.dllab.grading.exam.ExamKey;
import org.dllab.grading.exam.ExamMaster;
import org.dllab.grading.exam.ExamPapers;
import org.dllab.grading.exam.Roster;
import org.dllab.grading.runner.ContainerSandbox;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.Sandbox;
import org.dllab.grading.submission.Grader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dllab exam ...}: the on-computer debugging exam, from authoring to grading. */
@Command(
        name = "exam",
        mixinStandardHelpOptions = true,
        description =
                "Debugging exams: check a master, generate per-student papers, start/run/pack on exam day, grade a class.",
        subcommands = {
            ExamCommand.ListExams.class,
            ExamCommand.Check.class,
            ExamCommand.Generate.class,
            ExamCommand.Try.class,
            ExamCommand.Start.class,
            ExamCommand.Run.class,
            ExamCommand.Pack.class,
            ExamCommand.Grade.class
        },
        footer = {
            "",
            "Instructor: check, generate, grade.  Student: start, run, pack.  See docs/exam.md."
        })
final class ExamCommand implements Runnable {

    @Spec CommandSpec spec;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description =
                    "The dllab repository (default: $DLLAB_HOME, set by the launcher, or upwards from here).")
    Path root;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(),
                "missing subcommand: list, check, generate, start, run, pack or grade");
    }

    /** The solutions module, where exam masters live (the instructor's repository only). */
    Path solutions() throws IOException {
        Path s = RepoRoot.find(root).resolve("solutions");
        if (!Files.isDirectory(s)) {
            throw new IOException(
                    "this copy of dllab has no solutions/ (a student edition): exams are authored, generated and graded in the "
                            + "instructor's repository");
        }
        return s;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The exams and their bug slots.")
    static final class ListExams implements Callable<Integer> {
        @ParentCommand ExamCommand parent;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            for (String id : ExamMaster.available(parent.solutions())) {
                ExamMaster m = ExamMaster.load(parent.solutions(), id);
                out.printf(
                        Locale.ROOT,
                        "%-10s %d slots, %d variants, %d files%n",
                        id,
                        m.slots().size(),
                        m.variantCount(),
                        m.sources().size());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Read an exam's bug markers: every slot with its variants, or every problem as file:line (exit 1).")
    static final class Check implements Callable<Integer> {
        @ParentCommand ExamCommand parent;

        @Spec CommandSpec spec;

        @Parameters(paramLabel = "EXAM", description = "e.g. midterm")
        String exam;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            ExamMaster m =
                    ExamMaster.load(
                            parent.solutions(), exam); // an ExamFormatException lists the problems
            for (BugSlot s : m.slots()) {
                out.printf(
                        Locale.ROOT,
                        "%-15s %s:%d  %s%n",
                        s.id(),
                        s.file(),
                        s.line(),
                        String.join(", ", s.variants().stream().map(BugSlot.Variant::id).toList()));
            }
            boolean checked = HomeworkRunner.exams().contains(exam);
            out.printf(
                    Locale.ROOT,
                    "%s: %d slots, %d variants%s%n",
                    exam,
                    m.slots().size(),
                    m.variantCount(),
                    checked ? "" : " (no checks registered for it: it cannot be graded yet)");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description =
                    "One paper per student of a class list (papers/ID.zip) and the answer key (key.json: keep it private).")
    static final class Generate implements Callable<Integer> {
        @ParentCommand ExamCommand parent;

        @Spec CommandSpec spec;

        @Parameters(paramLabel = "EXAM", description = "e.g. midterm")
        String exam;

        @Option(
                names = "--class",
                paramLabel = "CSV",
                required = true,
                description = "The class list (an 'id', 'student', 'ID number' or '學號' column).")
        Path roster;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                required = true,
                description = "The exam folder to write (key.json, papers/).")
        Path out;

        @Option(
                names = "--broken",
                paramLabel = "N",
                defaultValue = "8",
                description =
                        "Mistakes on each paper (default ${DEFAULT-VALUE}: half the midterm's 16 slots).")
        int broken;

        @Option(
                names = "--salt",
                paramLabel = "TEXT",
                description =
                        "The secret that seeds the papers (default: a new random one, recorded in key.json). The same salt and class list give the same papers.")
        String salt;

        @Override
        public Integer call() throws IOException {
            ExamMaster m = ExamMaster.load(parent.solutions(), exam);
            if (Files.exists(out.resolve(ExamKey.FILE))) {
                throw new IOException(
                        out.resolve(ExamKey.FILE).toAbsolutePath()
                                + " exists: papers were already generated there; choose another --out "
                                + "(regenerating would hand out different papers)");
            }
            ExamKey key =
                    ExamKey.choose(
                            m,
                            Roster.read(roster),
                            salt != null ? salt : ExamKey.newSalt(),
                            broken);
            Concepts concepts = Concepts.load(parent.solutions(), exam);
            List<Path> papers = ExamPapers.generate(m, concepts, key, out);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    Locale.ROOT,
                    "%d papers of %s (%d mistakes and %d concept questions each) in %s%nkey: %s (keep it private: it is the answer key)%n",
                    papers.size(),
                    exam,
                    broken,
                    concepts.refs().size(),
                    out.resolve("papers").toAbsolutePath(),
                    out.resolve(ExamKey.FILE).toAbsolutePath());
            w.println(
                    "Give each student only their own paper: two papers side by side show where they differ.");
            w.flush();
            return 0;
        }
    }

    @Command(
            name = "try",
            mixinStandardHelpOptions = true,
            description =
                    "A working folder with the mistakes you choose (none: the master), to see what they show when run (authors).")
    static final class Try implements Callable<Integer> {
        @ParentCommand ExamCommand parent;

        @Spec CommandSpec spec;

        @Parameters(paramLabel = "EXAM", description = "e.g. midterm")
        String exam;

        @Option(
                names = "--break",
                paramLabel = "SLOT=VARIANT",
                split = ",",
                description = "Mistakes to put in, e.g. loss-softmax=double-softmax.")
        java.util.Map<String, String> broken = new java.util.LinkedHashMap<>();

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                required = true,
                description = "The working folder to write (absent or empty).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            ExamMaster m = ExamMaster.load(parent.solutions(), exam);
            ExamPapers.write(m, broken, dir);
            PrintWriter out = spec.commandLine().getOut();
            out.println(
                    "Wrote "
                            + dir.toAbsolutePath()
                            + " with "
                            + (broken.isEmpty() ? "no mistakes" : broken)
                            + "; run it with 'dllab exam run --dir "
                            + dir
                            + "'.");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Unpack your paper into a working folder and record the start time.")
    static final class Start implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--paper",
                paramLabel = "ZIP",
                required = true,
                description = "Your paper (e.g. 411234567.zip).")
        Path paper;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "exam",
                description = "The working folder (default: ./${DEFAULT-VALUE}); absent or empty.")
        Path dir;

        @Override
        public Integer call() throws IOException {
            ExamPapers.Info info = ExamPapers.start(paper, dir, Instant.now());
            WorkingCopyPom.write(
                    dir,
                    info.exam() + "-" + info.student().replaceAll("[^A-Za-z0-9._-]", "_"),
                    "dllab " + info.exam() + " paper",
                    false);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    Locale.ROOT,
                    "%s, paper of %s, started %s in %s%n",
                    info.exam(),
                    info.student(),
                    info.started(),
                    dir.toAbsolutePath());
            out.println(
                    "Read EXAM.md; then 'dllab exam run --dir "
                            + dir
                            + "' and, at the end, 'dllab exam pack --dir "
                            + dir
                            + "'.");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Compile your paper's program and run it.")
    static final class Run implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "exam",
                description = "The working folder (default: ./${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ExamPapers.Info info = ExamPapers.Info.read(dir);
            return ChildJava.compileAndRun(
                    dir,
                    info.mainClass(),
                    List.of(),
                    spec.commandLine().getOut(),
                    HomeworkRunner.libraryClasspath());
        }
    }

    @Command(
            name = "pack",
            mixinStandardHelpOptions = true,
            description = "Make the zip to hand in (your program's files and the end time).")
    static final class Pack implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = "exam",
                description = "The working folder (default: ./${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Path zip = ExamPapers.pack(dir, Instant.now());
            PrintWriter out = spec.commandLine().getOut();
            out.println("Packed " + zip.toAbsolutePath() + ": hand in this file.");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "grade",
            mixinStandardHelpOptions = true,
            description =
                    "Grade a class's submissions (ID.zip or ID/ each) against each student's own paper: grades.csv, summary.md, students/ID/feedback.md.")
    static final class Grade implements Callable<Integer> {
        @ParentCommand ExamCommand parent;

        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "EXAM", description = "e.g. midterm")
        String exam;

        @Parameters(
                index = "1",
                paramLabel = "SUBMISSIONS",
                description =
                        "The folder of submissions (an LMS export; nested folders are searched).")
        Path submissions;

        @Option(
                names = "--key",
                paramLabel = "FILE",
                required = true,
                description = "The key.json 'dllab exam generate' wrote.")
        Path key;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                required = true,
                description = "The report folder (resumable: graded students are kept).")
        Path out;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "300",
                description = "Limit for one student's checks (default ${DEFAULT-VALUE}).")
        long timeout;

        @Option(
                names = "--no-sandbox",
                description =
                        "Run student code without bubblewrap (the risk is yours; recorded in each result).")
        boolean noSandbox;

        @Option(
                names = "--container",
                paramLabel = "IMAGE",
                arity = "0..1",
                fallbackValue = ContainerSandbox.DEFAULT_IMAGE,
                description =
                        "Run each student's checks in a podman/docker container of this image (default ${FALLBACK-VALUE}).")
        String container;

        @Override
        public Integer call() throws Exception {
            HomeworkRunner.testClasses(exam); // an exam without checks: a clear error first
            if (noSandbox && container != null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--no-sandbox and --container exclude each other");
            }
            ExamMaster m = ExamMaster.load(parent.solutions(), exam);
            Sandbox.Mode mode =
                    container != null
                            ? Sandbox.Mode.CONTAINER
                            : noSandbox ? Sandbox.Mode.OFF : Sandbox.Mode.REQUIRED;
            Path repo = RepoRoot.find(parent.root);
            List<Path> hide =
                    List.of(
                            repo.resolve("solutions"),
                            key.toAbsolutePath().getParent(),
                            submissions.toAbsolutePath(),
                            out.toAbsolutePath());
            Grader grader = new Grader(repo.resolve("solutions"), timeout, hide).withSandbox(mode);
            if (container != null) {
                grader = grader.inContainer(container);
            }
            System.out.println(Sandbox.description(mode));
            long start = System.nanoTime();
            List<ExamGrading.Result> results =
                    new ExamGrading(
                                    grader,
                                    m,
                                    ExamKey.read(key),
                                    Concepts.load(parent.solutions(), exam))
                            .gradeClass(submissions, out, System.out);
            double mean =
                    results.stream()
                            .mapToDouble(
                                    r -> r.maxScore() == 0 ? 0 : 100 * r.score() / r.maxScore())
                            .average()
                            .orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "%d students graded in %.0f s: mean %.1f %%. Reports in %s (grades.csv, summary.md, students/ID/feedback.md)%n",
                    results.size(),
                    (System.nanoTime() - start) / 1e9,
                    mean,
                    out.toAbsolutePath());
            return 0;
        }
    }
}
