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
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "The final project: a course competition (create it, check and score a submission.csv, write the leaderboards).",
        subcommands = {ProjectCommand.CompetitionCommand.class, ProjectCommand.Score.class, ProjectCommand.LeaderboardCommand.class},
        footer = {"", "See docs/final-project.md."})
final class ProjectCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: competition, score or leaderboard");
    }

    @Command(name = "competition", mixinStandardHelpOptions = true, description = "Set up a course competition.",
            subcommands = {ProjectCommand.Create.class})
    static final class CompetitionCommand implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "From the hidden test labels: the instructor's competition folder (keep it) and kit/ (give it to the groups: ids, classes, no labels).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--labels", paramLabel = "CSV", required = true,
                description = "The hidden labels: 'id,label', or for mean-roc-auc 'id,<label>,...' with 0/1 per label.")
        Path labels;

        @Option(names = "--metric", paramLabel = "NAME", required = true,
                description = "accuracy, macro-f1, f1, log-loss, roc-auc or mean-roc-auc.")
        String metric;

        @Option(names = "--public-fraction", paramLabel = "F", defaultValue = "0.3",
                description = "Share of the test ids on the public leaderboard (default ${DEFAULT-VALUE}); the rest decide the final ranking.")
        double publicFraction;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "The public/private split's seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--positive", paramLabel = "CLASS", description = "The positive class for f1 and roc-auc (default: the second class in sorted order).")
        String positive;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "The competition folder to write.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(out.resolve(Competition.FILE))) {
                throw new IOException(out.resolve(Competition.FILE).toAbsolutePath() + " exists: a competition was already created there (choose another --out)");
            }
            Competition c = Competition.create(labels, Metric.parse(metric), publicFraction, seed, positive);
            c.write(out);
            c.kit().write(out.resolve("kit"));
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "%s competition: %d test ids (%d public, %d private), classes %s%n", c.metric().cliName(), c.ids().size(),
                    c.publicIds().size(), c.ids().size() - c.publicIds().size(), c.classes());
            w.println("Keep " + out.resolve(Competition.FILE).toAbsolutePath() + " (it has the labels); give the groups " + out.resolve("kit").toAbsolutePath());
            w.flush();
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Check a submission.csv (every problem with its line) and, with the instructor's folder, score it on the public part.")
    static final class Score implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--competition", paramLabel = "DIR", required = true, description = "The competition folder, or the groups' kit.")
        Path competition;

        @Parameters(paramLabel = "SUBMISSION", description = "The submission.csv.")
        Path submission;

        @Override
        public Integer call() throws IOException {
            Competition c = Competition.read(competition);
            Submission s = Submission.read(submission, c); // a SubmissionException lists the problems (exit 1)
            PrintWriter w = spec.commandLine().getOut();
            if (!c.canScore()) {
                w.println(submission.getFileName() + " is valid: " + c.ids().size() + " rows, ready to hand in (the instructor scores it).");
            } else {
                w.printf(Locale.ROOT, "%s is valid. Public %s: %.5f (%s)%n", submission.getFileName(), c.metric().cliName(), c.score(s, Competition.Part.PUBLIC),
                        c.metric().higherIsBetter() ? "higher is better" : "lower is better");
            }
            w.flush();
            return 0;
        }
    }

    @Command(name = "leaderboard", mixinStandardHelpOptions = true,
            description = "Score every submission (TEAM.csv or TEAM/submission.csv) and write public.csv, private.csv, leaderboard.html, private.html.")
    static final class LeaderboardCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "COMPETITION", description = "The instructor's competition folder.")
        Path competition;

        @Parameters(index = "1", paramLabel = "SUBMISSIONS", description = "The folder of submissions.")
        Path submissions;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the leaderboards.")
        Path out;

        @Override
        public Integer call() throws IOException {
            List<Leaderboard.Entry> entries = Leaderboard.write(Competition.read(competition), submissions, out);
            PrintWriter w = spec.commandLine().getOut();
            int rank = 0;
            for (Leaderboard.Entry e : entries) {
                if (e.problem() == null) {
                    w.printf(Locale.ROOT, "%2d  %-20s public %.5f%n", ++rank, e.team(), e.publicScore());
                } else {
                    w.printf(Locale.ROOT, "    %-20s not scored: %s%n", e.team(), e.problem());
                }
            }
            w.println("Leaderboards in " + out.toAbsolutePath() + " (leaderboard.html during the course, private.html at the end)");
            w.flush();
            return 0;
        }
    }
}
