package org.dllab.grading.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dllab.run.LogLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mock course competition: hidden labels, a seeded public/private split, five submissions (one
 * malformed), the leaderboards.
 */
class CompetitionTest {

    private static final List<String> CLASSES = List.of("cat", "dog", "fox");

    @TempDir Path tmp;

    @Test
    void fiveSubmissionsAreCheckedScoredAndRanked() throws Exception {
        String[] truth = hiddenLabels(300, 1);
        Path hidden = tmp.resolve("hidden.csv");
        StringBuilder h = new StringBuilder("id,label\n");
        for (int i = 0; i < truth.length; i++) {
            h.append(id(i)).append(',').append(truth[i]).append('\n');
        }
        Files.writeString(hidden, h);
        Competition c = Competition.create(hidden, Metric.LOG_LOSS, 0.3, 7, null);
        assertEquals(90, c.publicIds().size());
        assertEquals(90, new HashSet<>(c.publicIds()).size());
        assertEquals(
                c.publicIds(),
                Competition.create(hidden, Metric.LOG_LOSS, 0.3, 7, null).publicIds(),
                "the same seed, the same split");
        assertNotEquals(
                c.publicIds(),
                Competition.create(hidden, Metric.LOG_LOSS, 0.3, 8, null).publicIds());
        c.write(tmp.resolve("instructor"));
        c.kit().write(tmp.resolve("kit"));
        assertTrue(
                !Files.readString(tmp.resolve("kit/competition.json")).contains("\"labels\""),
                "the kit has no labels");
        Competition kit = Competition.read(tmp.resolve("kit"));
        assertTrue(!kit.canScore());

        Path subs = tmp.resolve("submissions");
        Files.createDirectories(subs.resolve("team-e"));
        Random r = new Random(3);
        write(subs.resolve("team-a.csv"), truth, i -> onehot(truth[i], 0.98)); // nearly right
        write(
                subs.resolve("team-b.csv"),
                truth,
                i -> new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}); // uniform: ln 3
        write(
                subs.resolve("team-c.csv"),
                truth,
                i ->
                        r.nextDouble() < 0.7
                                ? onehot(truth[i], 0.8)
                                : onehot(CLASSES.get(r.nextInt(3)), 0.8));
        write(
                subs.resolve("team-d.csv"),
                truth,
                i -> onehot(CLASSES.get(i % 3), 1.0)); // confident and a third right
        List<String> bad = new ArrayList<>(Files.readAllLines(subs.resolve("team-b.csv")));
        bad.set(41, id(40) + ",0.5,0.5,0.2"); // line 42 sums to 1.2
        Files.write(subs.resolve("team-e/submission.csv"), bad);

        // a group checks its file against the kit: the malformed one is refused with its line
        SubmissionException e =
                assertThrows(
                        SubmissionException.class,
                        () -> Submission.read(subs.resolve("team-e/submission.csv"), kit));
        assertEquals(
                List.of("line 42: the class probabilities sum to 1.2000, not 1"), e.problems());
        Submission b = Submission.read(subs.resolve("team-b.csv"), kit);
        assertThrows(
                IllegalStateException.class,
                () -> kit.score(b, Competition.Part.PUBLIC),
                "a kit cannot score");
        assertEquals(Math.log(3), c.score(b, Competition.Part.PUBLIC), 1e-9);

        List<Leaderboard.Entry> board = Leaderboard.write(c, subs, tmp.resolve("board"));
        assertEquals(
                List.of("team-a", "team-c", "team-b", "team-d", "team-e"),
                board.stream().map(Leaderboard.Entry::team).toList(),
                "lower log-loss first, the invalid one last");
        assertEquals(
                -Math.log(0.98),
                board.get(0).publicScore(),
                1e-4,
                "team-a gives the true class 0.98 everywhere");
        String pub = Files.readString(tmp.resolve("board/public.csv"));
        assertTrue(pub.startsWith("rank,team,public_score\n1,team-a,"), pub);
        assertTrue(
                pub.contains(
                        ",team-e,\"invalid: line 42: the class probabilities sum to 1.2000, not 1\""),
                pub);
        String priv = Files.readString(tmp.resolve("board/private.csv"));
        assertTrue(
                priv.startsWith("rank,team,private_score,public_score,public_rank\n1,team-a,"),
                priv);
        assertTrue(
                Files.readString(tmp.resolve("board/leaderboard.html"))
                        .contains("log-loss (lower is better), on 90 test ids"));
        assertTrue(Files.readString(tmp.resolve("board/private.html")).contains("on 210 test ids"));

        // the private score is the metric on the other 210 ids, computed here directly
        Submission d = Submission.read(subs.resolve("team-d.csv"), c);
        List<String> privateIds = c.ids().stream().filter(x -> !c.publicIds().contains(x)).toList();
        double[][] p = new double[privateIds.size()][];
        int[] y = new int[privateIds.size()];
        for (int i = 0; i < y.length; i++) {
            p[i] = d.probabilities().get(privateIds.get(i));
            y[i] = CLASSES.indexOf(truth[Integer.parseInt(privateIds.get(i).substring(1))]);
        }
        assertEquals(LogLoss.of(p, y), c.score(d, Competition.Part.PRIVATE), 1e-12);
    }

    @Test
    void everyProblemOfASubmissionNamesItsLine() throws Exception {
        String[] truth = hiddenLabels(10, 2);
        Path hidden = tmp.resolve("h.csv");
        StringBuilder h = new StringBuilder("id,label\n");
        for (int i = 0; i < truth.length; i++) {
            h.append(id(i)).append(',').append(truth[i]).append('\n');
        }
        Files.writeString(hidden, h);
        Competition c = Competition.create(hidden, Metric.MACRO_F1, 0.5, 1, null);
        Path s = tmp.resolve("s.csv");
        Files.writeString(
                s,
                "id,label\n"
                        + id(0)
                        + ",cat\n"
                        + id(0)
                        + ",dog\n"
                        + "x99,cat\n"
                        + id(2)
                        + ",wolf\n"
                        + id(3)
                        + ",cat,extra\n");
        List<String> problems =
                assertThrows(SubmissionException.class, () -> Submission.read(s, c)).problems();
        assertEquals(
                List.of(
                        "line 3: id 't0000' already on line 2",
                        "line 4: 'x99' is not a test id",
                        "line 5: label 'wolf' is not a class (cat, dog, fox)",
                        "line 6: 3 columns, the header has 2",
                        "8 test id(s) have no row, e.g. t0001, t0003, t0004"),
                problems);
        Files.writeString(s, "ID;label\n");
        assertTrue(
                assertThrows(SubmissionException.class, () -> Submission.read(s, c))
                        .problems()
                        .get(0)
                        .startsWith("line 1: the first column must be 'id'"));
    }

    @Test
    void binaryAndMultiLabelCompetitions() throws Exception {
        Path hidden = tmp.resolve("tweets.csv");
        Files.writeString(hidden, "id,label\n1,0\n2,1\n3,1\n4,0\n5,1\n6,0\n");
        Competition f1 = Competition.create(hidden, Metric.F1, 0.5, 1, null);
        assertEquals("1", f1.positive(), "the second class in sorted order is positive by default");
        Path s = tmp.resolve("s.csv");
        Files.writeString(
                s, "id,label\n1,1\n2,1\n3,0\n4,0\n5,1\n6,0\n"); // TP 2, FP 1, FN 1 overall
        assertEquals(
                2 * 2 / (2.0 * 2 + 1 + 1),
                f1.score(Submission.read(s, f1), Competition.Part.ALL),
                1e-12);
        // the templates' file of class probabilities serves a label metric (the most probable
        // class) ...
        Files.writeString(
                s, "id,0,1\n1,0.4,0.6\n2,0.3,0.7\n3,0.9,0.1\n4,0.8,0.2\n5,0.45,0.55\n6,0.6,0.4\n");
        assertEquals(
                2 * 2 / (2.0 * 2 + 1 + 1),
                f1.score(Submission.read(s, f1), Competition.Part.ALL),
                1e-12,
                "the same predictions as labels");
        // ... and a positive-class metric (the positive class's column): positives 2, 3, 5 (0.7,
        // 0.1, 0.55); negatives 1, 4, 6 (0.6, 0.2, 0.4)
        Competition auc = Competition.create(hidden, Metric.ROC_AUC, 0.5, 1, null);
        assertEquals(
                5 / 9.0,
                auc.score(Submission.read(s, auc), Competition.Part.ALL),
                1e-12); // pairs ranked right: 2 above 3, 5 above 2, 3 above 0
        Files.writeString(
                s, "id,0,1\n1,0.4,0.7\n2,0.3,0.7\n3,0.9,0.1\n4,0.8,0.2\n5,0.45,0.55\n6,0.6,0.4\n");
        assertTrue(
                assertThrows(SubmissionException.class, () -> Submission.read(s, f1))
                        .problems()
                        .get(0)
                        .startsWith("line 2: the class probabilities sum to 1.1000"));
        Path leaves = tmp.resolve("leaves.csv");
        Files.writeString(
                leaves,
                "id,healthy,rust,scab\na,1,0,0\nb,0,1,1\nc,0,1,0\nd,0,0,1\ne,1,0,0\nf,0,0,1\n");
        Competition ml = Competition.create(leaves, Metric.MEAN_ROC_AUC, 0.5, 1, null);
        assertEquals(List.of("healthy", "rust", "scab"), ml.classes());
        Files.writeString(
                s,
                "id,scab,healthy,rust\na,0.1,0.9,0.1\nb,0.8,0.1,0.7\nc,0.2,0.2,0.9\nd,0.7,0.3,0.2\ne,0.1,0.8,0.2\nf,0.9,0.1,0.1\n");
        assertEquals(
                1.0,
                ml.score(Submission.read(s, ml), Competition.Part.ALL),
                1e-12,
                "columns in any order; every label ranked perfectly");
    }

    private static String[] hiddenLabels(int n, long seed) {
        Random r = new Random(seed);
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = CLASSES.get(r.nextInt(3));
        }
        return t;
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "t%04d", i);
    }

    private static double[] onehot(String cls, double p) {
        double[] v = new double[3];
        java.util.Arrays.fill(v, (1 - p) / 2);
        v[CLASSES.indexOf(cls)] = p;
        return v;
    }

    private static void write(
            Path f, String[] truth, java.util.function.IntFunction<double[]> probabilities)
            throws Exception {
        StringBuilder b = new StringBuilder("id,cat,dog,fox\n");
        for (int i = 0; i < truth.length; i++) {
            double[] p = probabilities.apply(i);
            b.append(id(i))
                    .append(String.format(Locale.ROOT, ",%.6f,%.6f,%.6f%n", p[0], p[1], p[2]));
        }
        Files.writeString(f, b);
    }
}
