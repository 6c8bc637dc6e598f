package org.dllab.labs.week10;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.labs.Lab;
import org.dllab.models.Attention;
import org.dllab.models.TextTransformer;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.Fonts;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.ModelSize;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.text.ImdbCorpus;
import org.dllab.text.SentimentCorpus;
import org.dllab.text.WaimaiCorpus;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Week 10: self-attention. (1) Scaled dot-product and multi-head attention written from the
 * formulas ({@link Attention}) give what DJL's {@code ScaledDotProductAttentionBlock} gives, on
 * seeded inputs with a padding mask. (2) A Transformer encoder built from them ({@link
 * TextTransformer}) learns sentiment on the week-8 tokens of the same {@code --dataset} (IMDb, or
 * the Chinese waimai_10k by words or characters); (3) its last layer's attention over one review is
 * drawn as a heat map, in a font that has the review's characters; (4) its accuracy and macro-F1
 * are set beside the week-8 models' when that lab's run folder for the same dataset is there.
 */
public final class AttentionLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w10-attention";

    /** Epochs: with 2,000 IMDb reviews the encoder peaks within a few. */
    public static final int EPOCHS = 8;

    /** Epochs on waimai_10k, as in week 8. */
    public static final int WAIMAI_EPOCHS = 5;

    /**
     * The week-8 lab whose run folder (beside this one) gives the recurrent models' figures to
     * compare with.
     */
    private static final String WEEK8_LAB = "w08-imdb-rnn";

    /**
     * The course notebook's waimai_10k test accuracy ({@code nn.TransformerEncoder}, sinusoidal
     * positions), quoted.
     */
    public static final double COURSE_TRANSFORMER_WAIMAI = 0.867;

    /** E: four heads of 16. */
    public static final int EMBED = 64;

    /** Attention heads. */
    public static final int HEADS = 4;

    /** Encoder layers. */
    public static final int LAYERS = 2;

    /** Tokens of the review drawn in the heat map. */
    public static final int HEATMAP_TOKENS = 32;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 10;
    }

    @Override
    public String title() {
        return "Self-attention from scratch vs DJL's block; a Transformer encoder on IMDb or waimai_10k; attention heat map";
    }

    @Override
    public List<String> datasets() {
        return SentimentCorpus.DATASETS;
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.DATASET, LabOption.RESUME);
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        Map<String, Double> summary = new LinkedHashMap<>();

        double difference = checkAgainstDjl(options.seed());
        summary.put("max_abs_difference_vs_djl", difference);
        if (log != null) {
            log.printf(
                    "Multi-head attention from scratch vs DJL's ScaledDotProductAttentionBlock (masked, seeded): max |difference| %.2e%n",
                    difference);
        }

        SentimentCorpus corpus = SentimentCorpus.load(options.dataset(), options, runDir, log);
        boolean imdb = corpus instanceof ImdbCorpus;
        int epochs = run.epochs(imdb ? EPOCHS : WAIMAI_EPOCHS);
        int batchSize = run.batchSize(32);
        float lr = run.learningRate(1e-3f);
        int length = corpus.maxLength();
        SentimentCorpus.Part watched = corpus.monitored();
        String watchedName = watched.name().toLowerCase(Locale.ROOT);
        if (log != null) {
            log.println(corpus.describe());
        }
        RunRecord record =
                run.record()
                        .config("dataset", corpus.title())
                        .config("embed", EMBED)
                        .config("heads", HEADS)
                        .config("layers", LAYERS)
                        .config("max_length", length)
                        .config("train_examples", corpus.size(SentimentCorpus.Part.TRAIN))
                        .config("curves_watch", watchedName)
                        .result("max_abs_difference_vs_djl", difference);
        List<EpochMetrics> ms = new ArrayList<>();
        long params;
        ClassifierTraining.Tested tested;
        SentimentCorpus.Sample sample;
        float[][] heat;
        try (Model model = Model.newInstance(ID, device)) {
            TextTransformer net =
                    TextTransformer.classifier(
                            corpus.vocabularySize(), length, EMBED, HEADS, LAYERS, 2 * EMBED, 2);
            model.setBlock(net);
            DefaultTrainingConfig config =
                    ClassifierTraining.config(
                            Loss.softmaxCrossEntropyLoss(),
                            Optimizer.adam()
                                    .optLearningRateTracker(Tracker.fixed(lr))
                                    .optClipGrad(1f)
                                    .build(),
                            device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, length), new Shape(1, length));
                params = ModelSize.parameters(net);
                if (log != null) {
                    log.printf(
                            "Transformer encoder: %d layers, %d heads, E = %d, %,d parameters%n",
                            LAYERS, HEADS, EMBED, params);
                }
                tested =
                        new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                                .resumable(run, model)
                                .evaluating(watchedName)
                                .fitAndTest(
                                        corpus.dataset(
                                                data, SentimentCorpus.Part.TRAIN, batchSize, true),
                                        corpus.validationOrNull(data, batchSize),
                                        corpus.dataset(
                                                data, SentimentCorpus.Part.TEST, batchSize, false),
                                        epochs,
                                        2,
                                        ms::add);
                sample = corpus.sample(HEATMAP_TOKENS);
                try (NDManager s = data.newSubManager()) {
                    NDArray ids = s.create(sample.ids(), new Shape(1, HEATMAP_TOKENS));
                    NDArray mask = s.create(sample.mask(), new Shape(1, HEATMAP_TOKENS));
                    net.forward(new ParameterStore(s, false), new NDList(ids, mask), false);
                    NDArray a =
                            net.lastAttention()
                                    .mean(new int[] {1})
                                    .squeeze(0); // heads averaged: (S, S)
                    heat = new float[HEATMAP_TOKENS][];
                    for (int i = 0; i < HEATMAP_TOKENS; i++) {
                        heat[i] = a.get(i).toFloatArray();
                    }
                }
            }
        }
        boolean glyphs = heatMap(sample, heat, runDir.resolve("attention.png"));
        if (!glyphs && log != null) {
            log.println(
                    "Warning: no installed font has the review's characters, so attention.png labels tokens by id. Install one"
                            + " (Debian/Ubuntu: sudo apt install fonts-noto-cjk) and run again.");
        }
        Plots.learningCurves(
                ms, "Transformer encoder on " + corpus.title(), runDir.resolve("curves.png"));
        double best = ms.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(0);
        double wall = run.seconds();
        List<List<String>> rows = new ArrayList<>();
        rows.add(
                List.of(
                        "Transformer encoder (this lab)",
                        String.format(Locale.ROOT, "%,d", params),
                        HtmlReport.pct(tested.test().accuracy()),
                        HtmlReport.pct(tested.test().macroF1()),
                        String.valueOf(tested.epoch()),
                        HtmlReport.pct(best)));
        String week8 = LabRun.folderName(WEEK8_LAB, options.dataset(), SentimentCorpus.DATASETS);
        rows.addAll(
                week8Rows(
                        runDir.getParent().resolve(week8).resolve("run.json"),
                        week8,
                        options.dataset()));
        summary.put("test_accuracy", tested.test().accuracy());
        summary.put("test_macro_f1", tested.test().macroF1());
        summary.put("tested_epoch", (double) tested.epoch());
        summary.put("best_" + watchedName + "_accuracy", best);
        summary.put("parameters", (double) params);
        ms.forEach(record::addEpoch);
        record.result("test_accuracy", tested.test().accuracy())
                .result("test_macro_f1", tested.test().macroF1())
                .result("comparison", rows)
                .result("heatmap_glyphs", glyphs);
        run.save();
        HtmlReport report =
                new HtmlReport("Week 10: self-attention")
                        .paragraph(
                                String.format(
                                        Locale.ROOT,
                                        "Multi-head attention written from the formulas matches DJL's ScaledDotProductAttentionBlock"
                                                + " (seeded input, padding mask) to %.1e. A %d-layer, %d-head encoder (E = %d) trained %d epochs on %d reviews of %s;"
                                                + " %s. %s",
                                        difference,
                                        LAYERS,
                                        HEADS,
                                        EMBED,
                                        epochs,
                                        corpus.size(SentimentCorpus.Part.TRAIN),
                                        corpus.title(),
                                        corpus.statistics(),
                                        corpus.testedWhen()));
        if (!imdb) {
            report.paragraph(
                    String.format(
                            Locale.ROOT,
                            "The course notebook's Transformer encoder on waimai_10k (jieba words, sinusoidal"
                                    + " positions): %.1f %% test accuracy; its BiLSTM: %.1f %%.",
                            100 * COURSE_TRANSFORMER_WAIMAI,
                            100 * WaimaiCorpus.COURSE_BILSTM_TEST_ACCURACY));
        }
        report.table(
                        List.of(
                                "model",
                                "parameters",
                                "test accuracy",
                                "test macro-F1",
                                "tested epoch",
                                "best " + watchedName + " epoch"),
                        rows)
                .epochs(ms)
                .image("Loss and accuracy per epoch", runDir.resolve("curves.png"))
                .image(
                        "Last layer's attention (heads averaged) over the first tokens of a test review: row = query token,"
                                + " column = the token it attends to"
                                + (imdb
                                        ? ""
                                        : "; * marks a token the vocabulary lacks (read as <unk>)"),
                        runDir.resolve("attention.png"))
                .write(runDir);
        if (log != null) {
            log.printf(
                    "Test accuracy %.1f %%, macro-F1 %.1f %% (weights of epoch %d; best %s epoch %.1f %%) after %d epochs, %.0f s."
                            + " Run folder: %s%n",
                    100 * tested.test().accuracy(),
                    100 * tested.test().macroF1(),
                    tested.epoch(),
                    watchedName,
                    100 * best,
                    epochs,
                    wall,
                    runDir.toAbsolutePath());
        }
        return new LabResult(runDir, ms, summary);
    }

    /**
     * Largest difference between {@link Attention#multiHead} and DJL's block with the same weights.
     *
     * @param seed the seed
     * @return max |ours - DJL|
     */
    static double checkAgainstDjl(long seed) {
        DjlRuntime.engine((int) seed);
        try (NDManager m = NDManager.newBaseManager()) {
            int e = 32;
            ScaledDotProductAttentionBlock djl =
                    ScaledDotProductAttentionBlock.builder()
                            .setEmbeddingSize(e)
                            .setHeadCount(4)
                            .optAttentionProbsDropoutProb(0f)
                            .build();
            djl.initialize(m, DataType.FLOAT32, new Shape(3, 7, e));
            NDArray x = m.randomNormal(new Shape(3, 7, e));
            NDArray mask =
                    m.create(
                            new float[] {
                                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0
                            },
                            new Shape(3, 7));
            NDArray expected =
                    djl.forward(
                                    new ParameterStore(m, false),
                                    new NDList(x, mask.expandDims(1).broadcast(3, 7, 7)),
                                    false)
                            .head();
            NDList ours =
                    Attention.multiHead(
                            x, Attention.paddingOffset(mask), 4, Attention.weightsOf(djl));
            return ours.get(0).sub(expected).abs().max().getFloat();
        }
    }

    /**
     * Draws the heat map. Token labels are drawn in a font that has their characters ({@link
     * Fonts}); when no installed font has them, the labels are the token ids instead of boxes.
     *
     * @return whether the tokens were drawn as text
     */
    static boolean heatMap(SentimentCorpus.Sample sample, float[][] weights, Path file)
            throws java.io.IOException {
        String[] tokens = sample.tokens();
        int n = (int) java.util.Arrays.stream(sample.mask()).sum();
        n = Math.max(1, n);
        String all = String.join("", java.util.Arrays.asList(tokens).subList(0, n));
        java.util.Optional<java.awt.Font> font = Fonts.displaying(all, java.awt.Font.PLAIN, 13);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(
                    i
                            + " "
                            + (font.isPresent()
                                    ? tokens[i]
                                    : "#"
                                            + sample.ids()[
                                                    i])); // numbered: a repeated token stays two
            // columns
        }
        List<Number[]> cells = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                cells.add(new Number[] {k, n - 1 - q, weights[q][k]});
            }
        }
        List<String> rows = new ArrayList<>(labels);
        java.util.Collections.reverse(rows);
        HeatMapChart chart =
                new HeatMapChartBuilder()
                        .width(900)
                        .height(820)
                        .title("Attention, last layer, heads averaged")
                        .xAxisTitle("key token")
                        .yAxisTitle("query token")
                        .build();
        chart.getStyler().setShowValue(false);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendVisible(true);
        font.ifPresent(chart.getStyler()::setAxisTickLabelsFont);
        chart.addSeries("attention", labels, rows, cells);
        BitmapEncoder.saveBitmap(
                chart, file.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
        return font.isPresent();
    }

    /**
     * The week-8 models' test figures, when that lab's run folder for the same dataset sits beside
     * this one.
     */
    private static List<List<String>> week8Rows(Path runJson, String week8Folder, String dataset) {
        List<List<String>> rows = new ArrayList<>();
        if (!Files.isRegularFile(runJson)) {
            rows.add(
                    List.of(
                            "week-8 models",
                            "-",
                            "run 'dllab run "
                                    + WEEK8_LAB
                                    + (dataset == null ? "" : " --dataset " + dataset)
                                    + "' to compare",
                            "-",
                            "-",
                            "-"));
            return rows;
        }
        try {
            var models = RunRecord.summaryOf(RunRecord.read(runJson)).getAsJsonArray("models");
            for (var row : models) {
                var r = row.getAsJsonArray();
                boolean withF1 = r.size() >= 8; // run folders from before macro-F1 have six columns
                rows.add(
                        List.of(
                                r.get(0).getAsString() + " (week 8)",
                                r.get(1).getAsString(),
                                r.get(2).getAsString(),
                                withF1 ? r.get(3).getAsString() : "-",
                                withF1 ? r.get(4).getAsString() : "-",
                                r.get(withF1 ? 5 : 3).getAsString()));
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            rows.add(
                    List.of(
                            "week-8 models",
                            "-",
                            "unreadable run.json in " + week8Folder,
                            "-",
                            "-",
                            "-"));
        }
        return rows;
    }
}
