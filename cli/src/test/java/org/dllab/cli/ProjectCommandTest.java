package org.dllab.cli;

import static org.dllab.cli.MainTest.dllab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course competition through the CLI: create, a group checks its file against the kit, the
 * instructor scores and ranks.
 */
class ProjectCommandTest {

    @TempDir Path tmp;

    @Test
    void createCheckScoreAndRank() throws Exception {
        Path hidden = tmp.resolve("hidden.csv");
        Files.writeString(hidden, "id,label\n1,0\n2,1\n3,1\n4,0\n5,1\n6,0\n7,1\n8,0\n9,0\n10,1\n");
        Path comp = tmp.resolve("comp");
        MainTest.Outcome created =
                dllab(
                        "project",
                        "competition",
                        "create",
                        "--labels",
                        hidden.toString(),
                        "--metric",
                        "f1",
                        "--public-fraction",
                        "0.5",
                        "--out",
                        comp.toString());
        assertEquals(0, created.code(), created.err());
        assertTrue(
                created.out()
                        .contains(
                                "f1 competition: 10 test ids (5 public, 5 private), classes [0, 1]"),
                created.out());
        assertEquals(
                1,
                dllab(
                                "project",
                                "competition",
                                "create",
                                "--labels",
                                hidden.toString(),
                                "--metric",
                                "f1",
                                "--out",
                                comp.toString())
                        .code(),
                "an existing competition is never overwritten");

        Path good = tmp.resolve("subs/alpha.csv");
        Files.createDirectories(good.getParent());
        Files.writeString(good, "id,label\n1,0\n2,1\n3,1\n4,0\n5,1\n6,0\n7,1\n8,0\n9,0\n10,1\n");
        MainTest.Outcome kit =
                dllab(
                        "project",
                        "score",
                        "--competition",
                        comp.resolve("kit").toString(),
                        good.toString());
        assertEquals(0, kit.code(), kit.err());
        assertTrue(kit.out().contains("alpha.csv is valid: 10 rows, ready to hand in"), kit.out());
        MainTest.Outcome scored =
                dllab("project", "score", "--competition", comp.toString(), good.toString());
        assertTrue(scored.out().contains("Public f1: 1.00000 (higher is better)"), scored.out());

        Path bad = tmp.resolve("subs/beta.csv");
        Files.writeString(bad, "id,label\n1,0\n2,yes\n");
        MainTest.Outcome refused =
                dllab(
                        "project",
                        "score",
                        "--competition",
                        comp.resolve("kit").toString(),
                        bad.toString());
        assertEquals(1, refused.code());
        assertTrue(
                refused.err().contains("line 3: label 'yes' is not a class (0, 1)"), refused.err());

        MainTest.Outcome board =
                dllab(
                        "project",
                        "leaderboard",
                        comp.toString(),
                        tmp.resolve("subs").toString(),
                        "--out",
                        tmp.resolve("board").toString());
        assertEquals(0, board.code(), board.err());
        assertTrue(
                board.out().contains(" 1  alpha")
                        && board.out().contains("beta                 not scored: line 3"),
                board.out());
        assertTrue(Files.isRegularFile(tmp.resolve("board/private.html")));
    }

    /**
     * The text example end to end on the course's emotion tweets: 'project new', data as a group
     * would put it, 'project run' (the pretrained MiniLM encoder and a linear probe), then a mock
     * competition of five submissions on 300 real test tweets — the project's, the class prior,
     * uniform, an over-confident copy of the project's, and a malformed one.
     */
    @Test
    void aTextProjectFromNewToTheLeaderboard() throws Exception {
        Path folder = org.dllab.testing.TestData.require(org.dllab.data.DatasetCatalog.EMOTION);
        List<org.dllab.data.EmotionTweets.Tweet> train =
                org.dllab.data.EmotionTweets.load(folder, org.dllab.data.EmotionTweets.Part.TRAIN)
                        .subList(0, 800);
        List<org.dllab.data.EmotionTweets.Tweet> test =
                org.dllab.data.EmotionTweets.load(folder, org.dllab.data.EmotionTweets.Part.TEST)
                        .subList(0, 300);
        Path project = tmp.resolve("team");
        MainTest.Outcome created =
                dllab(
                        "project",
                        "new",
                        "team",
                        "--task",
                        "text-classification",
                        "--dir",
                        project.toString(),
                        "--member",
                        "王小明:50",
                        "--member",
                        "Alice:50");
        assertEquals(0, created.code(), created.err());
        assertTrue(Files.readString(project.resolve("project.json")).contains("\"王小明\""));
        StringBuilder trainCsv = new StringBuilder("id,text,label\n");
        for (int i = 0; i < train.size(); i++) {
            trainCsv.append("tr")
                    .append(i)
                    .append(',')
                    .append(train.get(i).text())
                    .append(',')
                    .append(org.dllab.data.EmotionTweets.LABELS.get(train.get(i).label()))
                    .append('\n');
        }
        StringBuilder testCsv = new StringBuilder("id,text\n");
        StringBuilder hidden = new StringBuilder("id,label\n");
        int[] prior = new int[6];
        for (int i = 0; i < test.size(); i++) {
            testCsv.append("te").append(i).append(',').append(test.get(i).text()).append('\n');
            hidden.append("te")
                    .append(i)
                    .append(',')
                    .append(org.dllab.data.EmotionTweets.LABELS.get(test.get(i).label()))
                    .append('\n');
        }
        train.forEach(t -> prior[t.label()]++);
        Files.writeString(project.resolve("data/train.csv"), trainCsv);
        Files.writeString(project.resolve("data/test.csv"), testCsv);
        Files.writeString(tmp.resolve("hidden.csv"), hidden);

        assertEquals(
                0,
                dllab("project", "run", "--dir", project.toString()).code(),
                "the project's pipeline runs");
        Path submission = project.resolve("runs/submission.csv");
        List<String> lines = Files.readAllLines(submission);
        assertEquals(301, lines.size());
        assertEquals(
                "id,anger,fear,joy,love,sadness,surprise",
                lines.get(0),
                "classes in sorted order, as the competition's columns");

        Path comp = tmp.resolve("comp");
        assertEquals(
                0,
                dllab(
                                "project",
                                "competition",
                                "create",
                                "--labels",
                                tmp.resolve("hidden.csv").toString(),
                                "--metric",
                                "log-loss",
                                "--out",
                                comp.toString())
                        .code());
        MainTest.Outcome checked =
                dllab(
                        "project",
                        "score",
                        "--competition",
                        comp.resolve("kit").toString(),
                        submission.toString());
        assertEquals(0, checked.code(), checked.err());
        Path subs = tmp.resolve("submissions");
        Files.createDirectories(subs);
        Files.copy(submission, subs.resolve("team.csv"));
        StringBuilder uniform = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder priorCsv = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder confident = new StringBuilder(lines.get(0)).append('\n');
        // the emotion file's label order (sadness, joy, love, anger, fear, surprise) in the sorted
        // columns' order
        int[] column = {3, 4, 1, 2, 0, 5};
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            uniform.append(f[0]);
            priorCsv.append(f[0]);
            confident.append(f[0]);
            int best = 1;
            for (int c = 1; c < f.length; c++) {
                best = Double.parseDouble(f[c]) > Double.parseDouble(f[best]) ? c : best;
            }
            for (int c = 0; c < 6; c++) {
                uniform.append(String.format(java.util.Locale.ROOT, ",%.6f", 1 / 6.0));
                priorCsv.append(
                        String.format(
                                java.util.Locale.ROOT,
                                ",%.6f",
                                prior[column[c]] / (double) train.size()));
                confident.append(c + 1 == best ? ",1" : ",0");
            }
            uniform.append('\n');
            priorCsv.append('\n');
            confident.append('\n');
        }
        Files.writeString(subs.resolve("uniform.csv"), uniform);
        Files.writeString(subs.resolve("prior.csv"), priorCsv);
        Files.writeString(subs.resolve("confident.csv"), confident);
        List<String> broken = new ArrayList<>(lines);
        broken.set(9, broken.get(9).replaceFirst(",[0-9.]+", ",0.9"));
        Files.write(subs.resolve("broken.csv"), broken);

        MainTest.Outcome board =
                dllab(
                        "project",
                        "leaderboard",
                        comp.toString(),
                        subs.toString(),
                        "--out",
                        tmp.resolve("board").toString());
        assertEquals(0, board.code(), board.err());
        List<String> ranked = Files.readAllLines(tmp.resolve("board/public.csv"));
        assertTrue(
                ranked.get(1).startsWith("1,team,")
                        && ranked.get(2).startsWith("2,prior,")
                        && ranked.get(3).startsWith("3,uniform,")
                        && ranked.get(4).startsWith("4,confident,"),
                "the pretrained encoder beats the prior, which beats uniform; over-confidence is punished: "
                        + ranked);
        System.out.println(String.join("\n", ranked));
        double teamLoss = Double.parseDouble(ranked.get(1).split(",")[2]);
        assertTrue(
                teamLoss < Math.log(6) - 0.5,
                "log-loss " + teamLoss + " well below uniform's ln 6 = 1.79");
        assertTrue(
                ranked.get(5).contains("broken") && ranked.get(5).contains("line 10"),
                ranked.get(5));

        // the from-scratch baseline the template offers: the week-10 Transformer, one epoch, still
        // a valid submission
        Path main = project.resolve("src/main/java/project/Main.java");
        Files.writeString(
                main,
                Files.readString(main)
                        .replace(
                                "static final String MODEL = \"minilm\";",
                                "static final String MODEL = \"transformer\";"));
        assertEquals(0, dllab("project", "run", "--dir", project.toString(), "data", "1").code());
        assertTrue(
                Files.readString(project.resolve("runs/metrics.txt"))
                        .startsWith(
                                "model: Transformer from scratch (2 layers, 64 wide), 1 epochs\n"));
        assertEquals(
                0,
                dllab(
                                "project",
                                "score",
                                "--competition",
                                tmp.resolve("comp").toString(),
                                project.resolve("runs/submission.csv").toString())
                        .code());
    }

    /**
     * The image example end to end: CIFAR-10's course subset exported to PNG class folders by the
     * test itself (and one broken file), 'project new --task image-classification', 'project run'
     * for 3 epochs (a small CNN from scratch), and the submission scored in a log-loss competition
     * on 300 real test images against a uniform guess.
     */
    @Test
    void anImageProjectFromClassFoldersToAScoredSubmission() throws Exception {
        Path cifar = org.dllab.testing.TestData.require(org.dllab.data.DatasetCatalog.CIFAR10);
        org.dllab.data.ImageSet train =
                org.dllab.data.CifarBinary.load(cifar, org.dllab.data.Split.TRAIN).limit(2000);
        org.dllab.data.ImageSet test =
                org.dllab.data.CifarBinary.load(cifar, org.dllab.data.Split.TEST).limit(300);
        Path project = tmp.resolve("vision");
        assertEquals(
                0,
                dllab(
                                "project",
                                "new",
                                "vision",
                                "--task",
                                "image-classification",
                                "--dir",
                                project.toString())
                        .code());
        for (int i = 0; i < train.size(); i++) {
            Path f =
                    project.resolve("data/train")
                            .resolve(train.classNames().get(train.label(i)))
                            .resolve(i + ".png");
            Files.createDirectories(f.getParent());
            javax.imageio.ImageIO.write(png(train, i), "png", f.toFile());
        }
        Files.writeString(project.resolve("data/train/cat/broken.png"), "not a png");
        StringBuilder hidden = new StringBuilder("id,label\n");
        Files.createDirectories(project.resolve("data/test"));
        for (int i = 0; i < test.size(); i++) {
            String id = String.format(java.util.Locale.ROOT, "img%04d", i);
            javax.imageio.ImageIO.write(
                    png(test, i),
                    "png",
                    project.resolve("data/test").resolve(id + ".png").toFile());
            hidden.append(id).append(',').append(test.classNames().get(test.label(i))).append('\n');
        }
        Files.writeString(tmp.resolve("hidden.csv"), hidden);

        assertEquals(
                0,
                dllab("project", "run", "--dir", project.toString(), "data", "3").code(),
                "the project's pipeline runs");
        Path comp = tmp.resolve("comp");
        assertEquals(
                0,
                dllab(
                                "project",
                                "competition",
                                "create",
                                "--labels",
                                tmp.resolve("hidden.csv").toString(),
                                "--metric",
                                "log-loss",
                                "--out",
                                comp.toString())
                        .code());
        MainTest.Outcome scored =
                dllab(
                        "project",
                        "score",
                        "--competition",
                        comp.toString(),
                        project.resolve("runs/submission.csv").toString());
        assertEquals(0, scored.code(), scored.err());
        System.out.println(scored.out());
        double loss =
                Double.parseDouble(
                        scored.out().replaceAll("(?s).*Public log-loss: ([0-9.]+).*", "$1"));
        assertTrue(
                loss < Math.log(10) - 0.1,
                "3 epochs on 1,600 images beat a uniform guess (ln 10 = 2.303; measured 1.978): "
                        + loss);
        String html = Files.readString(project.resolve("runs/report.html"));
        assertTrue(
                html.contains("<h2>Most confident mistakes (error analysis)</h2>")
                        && html.split("<figure style=").length - 1 == 8,
                "report.html shows the 8 most confident mistakes' images");
        assertTrue(
                html.contains("training loss and validation log-loss"),
                "report.html has the curves");

        // the same project with a pretrained backbone: an ONNX checkpoint (here one the test
        // writes: 32 seeded 3x3
        // filters, ReLU, global average pooling) in backbone/model.onnx replaces the CNN by a
        // linear probe on its features
        java.util.Random r = new java.util.Random(5);
        float[] w = new float[32 * 27];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.3f;
        }
        Files.createDirectories(project.resolve("backbone"));
        new org.dllab.models.OnnxModelWriter()
                .initializer("w", new long[] {32, 3, 3, 3}, w)
                .node(
                        "Conv",
                        List.of("pixel_values", "w"),
                        List.of("conv"),
                        java.util.Map.of("kernel_shape", new long[] {3, 3}))
                .node("Relu", List.of("conv"), List.of("map"), java.util.Map.of())
                .node("GlobalAveragePool", List.of("map"), List.of("gap"), java.util.Map.of())
                .node("Flatten", List.of("gap"), List.of("pooler_output"), java.util.Map.of())
                .input("pixel_values", "batch", 3L, 32L, 32L)
                .output("pooler_output", "batch", 32L)
                .write(project.resolve("backbone/model.onnx"));
        MainTest.Outcome withBackbone = dllab("project", "run", "--dir", project.toString());
        assertEquals(0, withBackbone.code(), withBackbone.err());
        assertTrue(
                Files.readString(project.resolve("runs/metrics.txt"))
                        .startsWith(
                                "model: linear probe (60 steps) on backbone/model.onnx (pooler_output, 32 px)\n"),
                Files.readString(project.resolve("runs/metrics.txt")));
        scored =
                dllab(
                        "project",
                        "score",
                        "--competition",
                        comp.toString(),
                        project.resolve("runs/submission.csv").toString());
        assertEquals(0, scored.code(), scored.err());
        double probed =
                Double.parseDouble(
                        scored.out().replaceAll("(?s).*Public log-loss: ([0-9.]+).*", "$1"));
        System.out.println("linear probe on the written backbone: public log-loss " + probed);
        assertTrue(
                probed < Math.log(10) - 0.1,
                "a probe on 32 random-filter features beats a uniform guess (measured 1.924): "
                        + probed);
    }

    /**
     * The tabular example end to end on a table the test writes (two numeric columns, one with
     * missing cells, and a categorical one; three classes from a seeded rule with noise): 'project
     * new --task tabular', 'project run' for 30 epochs, report.html with the rows of the mistakes,
     * and the submission scored by accuracy against the majority class.
     */
    @Test
    void aTabularProjectWithNumericCategoricalAndMissingCells() throws Exception {
        Path project = tmp.resolve("table");
        assertEquals(
                0,
                dllab("project", "new", "table", "--task", "tabular", "--dir", project.toString())
                        .code());
        java.util.Random r = new java.util.Random(3);
        String[] colours = {"red", "green", "blue"};
        StringBuilder train = new StringBuilder("id,x1,colour,x2,label\n");
        StringBuilder test = new StringBuilder("id,x1,colour,x2\n");
        StringBuilder hidden = new StringBuilder("id,label\n");
        int[] testCounts = new int[3];
        for (int i = 0; i < 800; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            int colour = r.nextInt(3);
            double[] score = {
                1.5 * x1 + (colour == 0 ? 1 : 0),
                -1.5 * x1 + (colour == 1 ? 1 : 0),
                1.5 * x2 + (colour == 2 ? 1 : 0)
            };
            int label = 0;
            for (int c = 1; c < 3; c++) {
                label = score[c] + 0.3 * r.nextGaussian() > score[label] ? c : label;
            }
            String cells =
                    String.format(
                            java.util.Locale.ROOT,
                            "%.3f,%s,%s",
                            x1,
                            colours[colour],
                            r.nextInt(20) == 0
                                    ? "NA"
                                    : String.format(java.util.Locale.ROOT, "%.3f", x2));
            if (i < 600) {
                train.append("r")
                        .append(i)
                        .append(',')
                        .append(cells)
                        .append(",class")
                        .append(label)
                        .append('\n');
            } else {
                test.append("t").append(i).append(',').append(cells).append('\n');
                hidden.append("t").append(i).append(",class").append(label).append('\n');
                testCounts[label]++;
            }
        }
        Files.writeString(project.resolve("data/train.csv"), train);
        Files.writeString(project.resolve("data/test.csv"), test);
        Files.writeString(tmp.resolve("hidden-table.csv"), hidden);

        assertEquals(
                0,
                dllab("project", "run", "--dir", project.toString(), "data", "30").code(),
                "the project's pipeline runs");
        String metrics = Files.readString(project.resolve("runs/metrics.txt"));
        assertTrue(
                metrics.startsWith(
                        "features: 2 numeric column(s) (1 with missing cells), 1 categorical (3 values) -> 7 features\n"),
                metrics);
        String html = Files.readString(project.resolve("runs/report.html"));
        assertTrue(
                html.matches(
                        "(?s).*<td>r\\d+</td><td>class\\d</td><td>class\\d</td><td>[01]\\.\\d\\d</td><td>x1=-?[0-9.]+, colour=\\w+, x2=.*"),
                "report.html lists the mistakes' rows");
        Path comp = tmp.resolve("comp-table");
        assertEquals(
                0,
                dllab(
                                "project",
                                "competition",
                                "create",
                                "--labels",
                                tmp.resolve("hidden-table.csv").toString(),
                                "--metric",
                                "accuracy",
                                "--out",
                                comp.toString())
                        .code());
        MainTest.Outcome scored =
                dllab(
                        "project",
                        "score",
                        "--competition",
                        comp.toString(),
                        project.resolve("runs/submission.csv").toString());
        assertEquals(0, scored.code(), scored.err());
        double accuracy =
                Double.parseDouble(
                        scored.out().replaceAll("(?s).*Public accuracy: ([0-9.]+).*", "$1"));
        double majority = java.util.Arrays.stream(testCounts).max().orElseThrow() / 200.0;
        System.out.println("tabular: public accuracy " + accuracy + ", majority class " + majority);
        assertTrue(
                accuracy > majority + 0.3,
                "30 epochs learn the rule (measured 0.983): "
                        + accuracy
                        + " vs majority "
                        + majority);
        // the project is a Maven project an IDE opens: it compiles offline against dllab's
        // published poms alone
        LocalMaven.installThisBuild();
        assertEquals(
                0,
                LocalMaven.run(project, "-o", "compile"),
                "mvn -o compile in the project (log: maven-table.log beside it)");
        assertTrue(Files.isRegularFile(project.resolve("target/classes/project/Main.class")));
    }

    private static java.awt.image.BufferedImage png(org.dllab.data.ImageSet set, int i) {
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
        byte[] p = set.pixels();
        int base = i * 3072;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(
                        x,
                        y,
                        ((p[base + y * 32 + x] & 0xFF) << 16)
                                | ((p[base + 1024 + y * 32 + x] & 0xFF) << 8)
                                | (p[base + 2048 + y * 32 + x] & 0xFF));
            }
        }
        return img;
    }
}
