package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dllab.grading.competition.Competition;
import org.dllab.grading.competition.Leaderboard;
import org.dllab.grading.competition.Metric;
import org.dllab.grading.competition.Submission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dllab project ...}: the final project's course competition. */
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description =
                "The final project: a group's project (new, run) and the course competition (create, score, leaderboard).",
        subcommands = {
            ProjectCommand.New.class,
            ProjectCommand.Run.class,
            ProjectCommand.CompetitionCommand.class,
            ProjectCommand.Score.class,
            ProjectCommand.LeaderboardCommand.class
        },
        footer = {"", "See docs/final-project.md."})
final class ProjectCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: competition, score or leaderboard");
    }

    /** The tasks 'project new' can start, and the template folder of each. */
    static final java.util.List<String> TASKS =
            java.util.List.of("text-classification", "image-classification", "tabular");

    @Command(
            name = "new",
            mixinStandardHelpOptions = true,
            description =
                    "Start a group's project: a Maven project (open it in an IDE) with a working pipeline, project.json and REPORT.md.")
    static final class New implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(
                paramLabel = "NAME",
                description = "The project's name (letters, digits, '-', '_').")
        String name;

        @Option(
                names = "--task",
                paramLabel = "TASK",
                required = true,
                description =
                        "text-classification (a pretrained MiniLM encoder + a linear classifier), image-classification (a small CNN "
                                + "from scratch, or a linear classifier on a pretrained ONNX backbone in backbone/model.onnx) or tabular (an MLP on "
                                + "standardised numeric and one-hot categorical columns).")
        String task;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Where to create it (default: ./NAME); absent or empty.")
        Path dir;

        @Option(
                names = "--member",
                paramLabel = "NAME:PERCENT",
                description =
                        "A member and their share of the work, e.g. 王小明:40 (repeat; shares add up to 100).")
        List<String> members = new java.util.ArrayList<>();

        @Override
        public Integer call() throws IOException {
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(
                        "project name '" + name + "': use letters, digits, '-' and '_'");
            }
            if (!TASKS.contains(task)) {
                throw new IllegalArgumentException(
                        "task '" + task + "' is not available; available: " + TASKS);
            }
            com.google.gson.JsonArray team = new com.google.gson.JsonArray();
            double total = 0;
            for (String m : members) {
                int colon = m.lastIndexOf(':');
                double share;
                try {
                    share = colon < 0 ? Double.NaN : Double.parseDouble(m.substring(colon + 1));
                } catch (NumberFormatException e) {
                    share = Double.NaN;
                }
                if (colon < 1 || !(share >= 0 && share <= 100)) {
                    throw new IllegalArgumentException(
                            "--member '" + m + "': write NAME:PERCENT, e.g. 王小明:40");
                }
                com.google.gson.JsonObject o = new com.google.gson.JsonObject();
                o.addProperty("name", m.substring(0, colon));
                o.addProperty("contribution_percent", share);
                team.add(o);
                total += share;
            }
            if (!members.isEmpty() && Math.abs(total - 100) > 1e-6) {
                throw new IllegalArgumentException(
                        "the members' shares add up to " + total + ", not 100");
            }
            Path target = dir != null ? dir : Path.of(name);
            if (Files.isDirectory(target)) {
                try (java.util.stream.Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isPresent()) {
                        throw new IOException(
                                target.toAbsolutePath() + " is not empty: choose another --dir");
                    }
                }
            }
            Path code = target.resolve("src/main/java/project");
            Files.createDirectories(code);
            Files.createDirectories(target.resolve("data"));
            Files.writeString(
                    code.resolve("Main.java"),
                    template(task, "Main.java.txt").replace("{{NAME}}", name),
                    java.nio.charset.StandardCharsets.UTF_8);
            Files.writeString(
                    target.resolve("REPORT.md"),
                    template("", "REPORT.md").replace("{{NAME}}", name),
                    java.nio.charset.StandardCharsets.UTF_8);
            com.google.gson.JsonObject project = new com.google.gson.JsonObject();
            project.addProperty("name", name);
            project.addProperty("task", task);
            project.add("members", team);
            project.addProperty("created", java.time.LocalDate.now().toString());
            Files.writeString(
                    target.resolve("project.json"),
                    new com.google.gson.GsonBuilder()
                            .setPrettyPrinting()
                            .disableHtmlEscaping()
                            .create()
                            .toJson(project),
                    java.nio.charset.StandardCharsets.UTF_8);
            Files.writeString(
                    target.resolve("data/README.md"),
                    switch (task) {
                        case "text-classification" ->
                                """
                    Put the data here 資料放這裡:
                    - train.csv: id,text,label   (one labelled text per row; a header line)
                    - test.csv:  id,text         (the competition's unlabelled test texts)
                    Other column names: change the LabelledText.read calls in src/main/java/project/Main.java.
                    """;
                        case "tabular" ->
                                """
                    Put the data here 資料放這裡:
                    - train.csv: id,<feature columns...>,label   (a header line; numeric or categorical columns, any order)
                    - test.csv:  id,<the same feature columns>   (the competition's unlabelled rows)
                    Missing cells: empty, NA, N/A, NaN, null or ?. Other id/label names: change the TabularCsv.read calls in
                    src/main/java/project/Main.java.
                    """;
                        default ->
                                """
                    Put the data here 資料放這裡:
                    - train/<class>/*.jpg|png   (one folder per class, any size; unreadable files are listed and skipped)
                    - test/*.jpg|png            (the competition's unlabelled images; an image's id is its file name)
                    A pretrained backbone: save it as ../backbone/model.onnx (docs/final-project.md says which load).
                    """;
                    },
                    java.nio.charset.StandardCharsets.UTF_8);
            WorkingCopyPom.write(target, name, name + " (dllab final project)", false);
            Files.writeString(
                    target.resolve(".gitignore"),
                    "target/\nruns/\n",
                    java.nio.charset.StandardCharsets.UTF_8);
            Files.writeString(
                    target.resolve("README.md"),
                    "# "
                            + name
                            + "\n\n"
                            + task
                            + ", started with `dllab project new`.\n\n"
                            + "```\nmvn -o -q compile                    # build (or open this folder in your IDE as a Maven project)\n"
                            + "dllab project run --dir .             # train, evaluate, write runs/submission.csv\n"
                            + "dllab project score --competition KIT runs/submission.csv   # check the file before handing it in\n```\n\n"
                            + "Data: see data/README.md. Report: REPORT.md. Team: project.json.\n",
                    java.nio.charset.StandardCharsets.UTF_8);
            PrintWriter w = spec.commandLine().getOut();
            w.println(
                    "Created "
                            + target.toAbsolutePath()
                            + " ("
                            + task
                            + "). Next: put the data in data/ (see data/README.md), then 'dllab project run --dir "
                            + target
                            + "'.");
            w.flush();
            return 0;
        }

        private static String template(String task, String file) throws IOException {
            String resource = "/project-templates/" + (task.isEmpty() ? "" : task + "/") + file;
            try (java.io.InputStream in = ProjectCommand.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(
                            "the template "
                                    + resource
                                    + " is missing from dllab's jar: rebuild dllab");
                }
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Compile the project and run its project.Main (in the project's folder).")
    static final class Run implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                defaultValue = ".",
                description = "The project (default: the current folder).")
        Path dir;

        @Parameters(
                paramLabel = "ARGS",
                arity = "0..*",
                description = "Arguments for Main (e.g. another data folder).")
        List<String> args = new java.util.ArrayList<>();

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!Files.isRegularFile(dir.resolve("src/main/java/project/Main.java"))) {
                throw new IOException(
                        dir.toAbsolutePath()
                                + " is not a dllab project (no src/main/java/project/Main.java): start one with 'dllab project new'");
            }
            return ChildJava.compileAndRun(
                    dir,
                    "project.Main",
                    args,
                    spec.commandLine().getOut(),
                    org.dllab.grading.runner.HomeworkRunner.projectClasspath());
        }
    }

    @Command(
            name = "competition",
            mixinStandardHelpOptions = true,
            description = "Set up a course competition.",
            subcommands = {ProjectCommand.Create.class})
    static final class CompetitionCommand implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "missing subcommand: create");
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "From the hidden test labels: the instructor's competition folder (keep it) and kit/ (give it to the groups: ids, classes, no labels).")
    static final class Create implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--labels",
                paramLabel = "CSV",
                required = true,
                description =
                        "The hidden labels: 'id,label', or for mean-roc-auc 'id,<label>,...' with 0/1 per label.")
        Path labels;

        @Option(
                names = "--metric",
                paramLabel = "NAME",
                required = true,
                description = "accuracy, macro-f1, f1, log-loss, roc-auc or mean-roc-auc.")
        String metric;

        @Option(
                names = "--public-fraction",
                paramLabel = "F",
                defaultValue = "0.3",
                description =
                        "Share of the test ids on the public leaderboard (default ${DEFAULT-VALUE}); the rest decide the final ranking.")
        double publicFraction;

        @Option(
                names = "--seed",
                paramLabel = "N",
                defaultValue = "42",
                description = "The public/private split's seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--positive",
                paramLabel = "CLASS",
                description =
                        "The positive class for f1 and roc-auc (default: the second class in sorted order).")
        String positive;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                required = true,
                description = "The competition folder to write.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out.resolve(Competition.FILE))) {
                throw new IOException(
                        out.resolve(Competition.FILE).toAbsolutePath()
                                + " exists: a competition was already created there (choose another --out)");
            }
            Competition c =
                    Competition.create(
                            labels, Metric.parse(metric), publicFraction, seed, positive);
            c.write(out);
            c.kit().write(out.resolve("kit"));
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    Locale.ROOT,
                    "%s competition: %d test ids (%d public, %d private), classes %s%n",
                    c.metric().cliName(),
                    c.ids().size(),
                    c.publicIds().size(),
                    c.ids().size() - c.publicIds().size(),
                    c.classes());
            w.println(
                    "Keep "
                            + out.resolve(Competition.FILE).toAbsolutePath()
                            + " (it has the labels); give the groups "
                            + out.resolve("kit").toAbsolutePath());
            w.flush();
            return 0;
        }
    }

    @Command(
            name = "score",
            mixinStandardHelpOptions = true,
            description =
                    "Check a submission.csv (every problem with its line) and, with the instructor's folder, score it on the public part.")
    static final class Score implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--competition",
                paramLabel = "DIR",
                required = true,
                description = "The competition folder, or the groups' kit.")
        Path competition;

        @Parameters(paramLabel = "SUBMISSION", description = "The submission.csv.")
        Path submission;

        @Override
        public Integer call() throws IOException {
            Competition c = Competition.read(competition);
            Submission s =
                    Submission.read(
                            submission, c); // a SubmissionException lists the problems (exit 1)
            PrintWriter w = spec.commandLine().getOut();
            if (!c.canScore()) {
                w.println(
                        submission.getFileName()
                                + " is valid: "
                                + c.ids().size()
                                + " rows, ready to hand in (the instructor scores it).");
            } else {
                w.printf(
                        Locale.ROOT,
                        "%s is valid. Public %s: %.5f (%s)%n",
                        submission.getFileName(),
                        c.metric().cliName(),
                        c.score(s, Competition.Part.PUBLIC),
                        c.metric().higherIsBetter() ? "higher is better" : "lower is better");
            }
            w.flush();
            return 0;
        }
    }

    @Command(
            name = "leaderboard",
            mixinStandardHelpOptions = true,
            description =
                    "Score every submission (TEAM.csv or TEAM/submission.csv) and write public.csv, private.csv, leaderboard.html, private.html.")
    static final class LeaderboardCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(
                index = "0",
                paramLabel = "COMPETITION",
                description = "The instructor's competition folder.")
        Path competition;

        @Parameters(
                index = "1",
                paramLabel = "SUBMISSIONS",
                description = "The folder of submissions.")
        Path submissions;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                required = true,
                description = "Where to write the leaderboards.")
        Path out;

        @Override
        public Integer call() throws IOException {
            List<Leaderboard.Entry> entries =
                    Leaderboard.write(Competition.read(competition), submissions, out);
            PrintWriter w = spec.commandLine().getOut();
            int rank = 0;
            for (Leaderboard.Entry e : entries) {
                if (e.problem() == null) {
                    w.printf(
                            Locale.ROOT,
                            "%2d  %-20s public %.5f%n",
                            ++rank,
                            e.team(),
                            e.publicScore());
                } else {
                    w.printf(Locale.ROOT, "    %-20s not scored: %s%n", e.team(), e.problem());
                }
            }
            w.println(
                    "Leaderboards in "
                            + out.toAbsolutePath()
                            + " (leaderboard.html during the course, private.html at the end)");
            w.flush();
            return 0;
        }
    }
}
