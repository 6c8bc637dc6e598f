package org.dllab.labs.week10;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
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
import org.dllab.core.DjlRuntime;
import org.dllab.core.Devices;
import org.dllab.labs.Lab;
import org.dllab.labs.LabResult;
import org.dllab.labs.week05.MnistMlp;
import org.dllab.labs.week08.ImdbRnnLab;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.text.ImdbCorpus;
import org.dllab.text.TextCleaning;
import org.dllab.text.WordPieceVocabulary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Week 10: self-attention. (1) Scaled dot-product and multi-head attention written from the formulas
 * ({@link Attention}) give what DJL's {@code ScaledDotProductAttentionBlock} gives, on seeded inputs with a padding
 * mask. (2) A Transformer encoder built from them ({@link TransformerClassifier}) learns IMDb sentiment on the week-8
 * tokens; (3) its last layer's attention over one review is drawn as a heat map; (4) its accuracy is set beside the
 * week-8 models' when that lab's run folder is there.
 */
public final class AttentionLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w10-attention";

    /** Epochs: with 2,000 reviews the encoder peaks within a few. */
    public static final int EPOCHS = 8;

    /** Tokens per review, as in week 8 (the same tokenizer settings, so the models compare). */
    public static final int MAX_LENGTH = ImdbRnnLab.MAX_LENGTH;

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
        return "Self-attention from scratch vs DJL's block; a Transformer encoder on IMDb; attention heat map";
    }

    @Override
    public LabResult run(RunOptions options, PrintStream out) throws Exception {
        PrintStream log = options.quiet() ? null : out;
        DjlRuntime.engine((int) options.seed());
        Path runDir = options.outputOr(ID);
        Files.createDirectories(runDir);
        Device device = Devices.parse(options.device());
        int epochs = options.epochsOr(EPOCHS);
        int batchSize = options.batchSizeOr(32);
        float lr = options.learningRateOr(1e-3f);
        long start = System.nanoTime();
        Map<String, Double> summary = new LinkedHashMap<>();

        double difference = checkAgainstDjl(options.seed());
        summary.put("max_abs_difference_vs_djl", difference);
        if (log != null) {
            log.printf("Multi-head attention from scratch vs DJL's ScaledDotProductAttentionBlock (masked, seeded): max |difference| %.2e%n",
                    difference);
        }

        ImdbCorpus corpus = ImdbCorpus.load(options, MAX_LENGTH, ImdbRnnLab.MAX_WORDS, runDir, log);
        if (log != null) {
            log.printf("IMDb from %s: %d train, %d test reviews; %s%n", corpus.folder(), corpus.train().size(), corpus.test().size(),
                    corpus.statistics());
        }
        RunRecord record = new RunRecord(ID, options.seed(), device.toString()).config("epochs", epochs).config("batch_size", batchSize)
                .config("learning_rate", lr).config("embed", EMBED).config("heads", HEADS).config("layers", LAYERS)
                .config("max_length", MAX_LENGTH).config("train_examples", corpus.train().size())
                .result("max_abs_difference_vs_djl", difference);
        List<EpochMetrics> ms = new ArrayList<>();
        long params;
        String[] heatTokens;
        float[][] heat;
        try (Model model = Model.newInstance(ID, device)) {
            TransformerClassifier net = new TransformerClassifier(corpus.vocabulary().size(), MAX_LENGTH, EMBED, HEADS, LAYERS, 2 * EMBED);
            model.setBlock(net);
            DefaultTrainingConfig config = ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(),
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).optClipGrad(1f).build(), device);
            try (Trainer trainer = model.newTrainer(config); NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, MAX_LENGTH), new Shape(1, MAX_LENGTH));
                params = MnistMlp.countParameters(net);
                if (log != null) {
                    log.printf("Transformer encoder: %d layers, %d heads, E = %d, %,d parameters%n", LAYERS, HEADS, EMBED, params);
                }
                new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                        .fit(corpus.dataset(data, true, batchSize, true), corpus.dataset(data, false, batchSize, false), epochs, ms::add);
                // the heat map: the last test review (a positive one), its first tokens
                String review = TextCleaning.clean(corpus.test().get(corpus.test().size() - 1).text());
                try (HuggingFaceTokenizer tok = corpus.vocabulary().tokenizer(HEATMAP_TOKENS); NDManager s = data.newSubManager()) {
                    Encoding e = tok.encode(review);
                    heatTokens = e.getTokens();
                    NDArray ids = s.create(e.getIds(), new Shape(1, HEATMAP_TOKENS));
                    NDArray mask = s.create(e.getAttentionMask(), new Shape(1, HEATMAP_TOKENS));
                    net.forward(new ParameterStore(s, false), new NDList(ids, mask), false);
                    NDArray a = net.lastAttention().mean(new int[] {1}).squeeze(0); // heads averaged: (S, S)
                    heat = new float[HEATMAP_TOKENS][];
                    for (int i = 0; i < HEATMAP_TOKENS; i++) {
                        heat[i] = a.get(i).toFloatArray();
                    }
                }
            }
        }
        heatMap(heatTokens, heat, runDir.resolve("attention.png"));
        Plots.learningCurves(ms, "Transformer encoder on IMDb", runDir.resolve("curves.png"));
        EpochMetrics last = ms.get(ms.size() - 1);
        double best = ms.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(0);
        double wall = (System.nanoTime() - start) / 1e9;
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Transformer encoder (this lab)", String.format(Locale.ROOT, "%,d", params), HtmlReport.pct(last.testAccuracy()),
                HtmlReport.pct(best)));
        rows.addAll(week8Rows(runDir.getParent().resolve(ImdbRnnLab.ID).resolve("run.json")));
        summary.put("test_accuracy", last.testAccuracy());
        summary.put("best_test_accuracy", best);
        summary.put("parameters", (double) params);
        summary.put("wall_seconds", wall);
        ms.forEach(record::addEpoch);
        record.result("test_accuracy", last.testAccuracy()).result("comparison", rows).finish("completed", wall, 0);
        record.write(runDir);
        new HtmlReport("Week 10: self-attention")
                .paragraph(String.format(Locale.ROOT, "Multi-head attention written from the formulas matches DJL's ScaledDotProductAttentionBlock"
                        + " (seeded input, padding mask) to %.1e. A %d-layer, %d-head encoder (E = %d) trained %d epochs on %d reviews; %s.",
                        difference, LAYERS, HEADS, EMBED, epochs, corpus.train().size(), corpus.statistics()))
                .table(List.of("model", "parameters", "final test accuracy", "best epoch"), rows)
                .epochs(ms)
                .image("Loss and accuracy per epoch", runDir.resolve("curves.png"))
                .image("Last layer's attention (heads averaged) over the first tokens of a test review: row = query token,"
                        + " column = the token it attends to", runDir.resolve("attention.png"))
                .write(runDir);
        if (log != null) {
            log.printf("Test accuracy %.1f %% (best %.1f %%) after %d epochs, %.0f s. Run folder: %s%n", 100 * last.testAccuracy(),
                    100 * best, epochs, wall, runDir.toAbsolutePath());
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
            ScaledDotProductAttentionBlock djl = ScaledDotProductAttentionBlock.builder().setEmbeddingSize(e).setHeadCount(4)
                    .optAttentionProbsDropoutProb(0f).build();
            djl.initialize(m, DataType.FLOAT32, new Shape(3, 7, e));
            NDArray x = m.randomNormal(new Shape(3, 7, e));
            NDArray mask = m.create(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, new Shape(3, 7));
            NDArray expected = djl.forward(new ParameterStore(m, false), new NDList(x, mask.expandDims(1).broadcast(3, 7, 7)), false).head();
            NDList ours = Attention.multiHead(x, Attention.paddingOffset(mask), 4, weightsOf(djl));
            return ours.get(0).sub(expected).abs().max().getFloat();
        }
    }

    /**
     * The weights of DJL's attention block in {@link Attention#multiHead}'s order and layout: DJL's {@code Linear}
     * keeps (out, in) weights, ours are (in, out).
     *
     * @param djl an initialised block
     * @return {wq, bq, wk, bk, wv, bv, wo, bo}
     */
    static NDArray[] weightsOf(ScaledDotProductAttentionBlock djl) {
        List<NDArray> w = new ArrayList<>();
        for (ai.djl.nn.core.Linear l : List.of(djl.getQueryProjection(), djl.getKeyProjection(), djl.getValueProjection(),
                djl.getResultProjection())) {
            w.add(l.getParameters().get("weight").getArray().transpose());
            w.add(l.getParameters().get("bias").getArray());
        }
        return w.toArray(new NDArray[0]);
    }

    private static void heatMap(String[] tokens, float[][] weights, Path file) throws java.io.IOException {
        int n = tokens.length;
        while (n > 1 && tokens[n - 1].equals(WordPieceVocabulary.PAD)) {
            n--;
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(i + " " + tokens[i]); // numbered: the same word twice stays two columns
        }
        List<Number[]> cells = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                cells.add(new Number[] {k, n - 1 - q, weights[q][k]});
            }
        }
        List<String> rows = new ArrayList<>(labels);
        java.util.Collections.reverse(rows);
        HeatMapChart chart = new HeatMapChartBuilder().width(900).height(820).title("Attention, last layer, heads averaged")
                .xAxisTitle("key token").yAxisTitle("query token").build();
        chart.getStyler().setShowValue(false);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendVisible(true);
        chart.addSeries("attention", labels, rows, cells);
        BitmapEncoder.saveBitmap(chart, file.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The week-8 models' accuracies, when that lab's run folder sits beside this one. */
    private static List<List<String>> week8Rows(Path runJson) {
        List<List<String>> rows = new ArrayList<>();
        if (!Files.isRegularFile(runJson)) {
            rows.add(List.of("week-8 models", "-", "run 'dllab run " + ImdbRnnLab.ID + "' to compare", "-"));
            return rows;
        }
        try {
            var models = RunRecord.read(runJson).getAsJsonObject("results").getAsJsonArray("models");
            for (var row : models) {
                var r = row.getAsJsonArray();
                rows.add(List.of(r.get(0).getAsString() + " (week 8)", r.get(1).getAsString(), r.get(2).getAsString(), r.get(3).getAsString()));
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            rows.add(List.of("week-8 models", "-", "unreadable run.json: " + runJson, "-"));
        }
        return rows;
    }
}
