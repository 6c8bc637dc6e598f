package org.dllab.labs.week11;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.core.Devices;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.EmotionTweets;
import org.dllab.data.TextDatasets;
import org.dllab.labs.Lab;
import org.dllab.labs.LabResult;
import org.dllab.models.BertEncoder;
import org.dllab.run.ClassMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.MemoryProbe;
import org.dllab.run.Pictures;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;

/**
 * Week 11: fine-tuning a pretrained encoder, the course's homework-3 task. The real all-MiniLM-L6-v2 ({@link
 * BertEncoder}) classifies the emotion of tweets (six classes, imbalanced) from a small labelled budget, three ways:
 * a <b>linear probe</b> on its frozen mean-pooled states, <b>LoRA</b> adapters on the query and value projections
 * (0.3 % of the weights trained), <b>full fine-tuning</b> of every weight plus the head, and
 * the same architecture trained <b>from random initialisation</b> with the same budget and steps. Accuracy and
 * macro-F1 on the official test tweets, per-class precision/recall/F1 and a confusion matrix for the fine-tuned
 * model. Batches are sorted by length (the tweets average 22 tokens) and padded to their longest, with a mask.
 */
public final class FineTuningLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w11-finetuning";

    /** Labelled training tweets ({@code --limit}): the course's small-budget setting; 16,000 is the whole set. */
    public static final int BUDGET = 1_000;

    /** Epochs of fine-tuning ({@code --epochs}); the test figures are the best validation epoch's. */
    public static final int EPOCHS = 4;

    /**
     * AdamW's rate for full fine-tuning and from scratch ({@code --lr}; LoRA keeps its own): 1e-4, as small budgets need
     * more than BERT's usual 2e-5.
     */
    public static final float LEARNING_RATE = 1e-4f;

    /** Tweets per batch ({@code --batch-size}). */
    public static final int BATCH = 32;

    /** Tokens per tweet, [CLS] and [SEP] included: tweets average 22.4 tokens (measured), so 64 cuts only the long tail. */
    public static final int MAX_TOKENS = 64;

    /** LoRA: rank 8 on the query and value projections, alpha 16 (scale 2), AdamW at 1e-3 (adapters start at zero). */
    static final int LORA_RANK = 8;
    static final float LORA_ALPHA = 16f;
    static final float LORA_LR = 1e-3f;

    /** The probe's full-batch Adam steps and rate: a convex problem on 384 features, it converges well within them. */
    static final int PROBE_STEPS = 300;
    static final float PROBE_LR = 1e-2f;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 11;
    }

    @Override
    public String title() {
        return "Fine-tuning a real pretrained encoder (all-MiniLM-L6-v2) on emotion: linear probe vs full fine-tuning vs from scratch";
    }

    /** Encoded tweets. */
    private record Encoded(List<long[]> ids, int[] labels) {}

    @Override
    public LabResult run(RunOptions options, PrintStream out) throws Exception {
        PrintStream log = options.quiet() ? null : out;
        DjlRuntime.engine((int) options.seed());
        Path runDir = options.outputOr(ID);
        Files.createDirectories(runDir);
        Device device = Devices.parse(options.device());
        int budget = options.limit() == null ? BUDGET : options.limit();
        int epochs = options.epochsOr(EPOCHS);
        int batch = options.batchSizeOr(BATCH);
        float lr = options.learningRateOr(LEARNING_RATE);
        long start = System.nanoTime();
        Path folder = DataLocations.fromEnvironment(options.dataDir(), options.offline()).resolve(DatasetCatalog.EMOTION, log);
        List<EmotionTweets.Tweet> all = EmotionTweets.load(folder, EmotionTweets.Part.TRAIN);
        List<EmotionTweets.Tweet> train = budget >= all.size() ? all : TextDatasets.split(all, budget / (double) all.size(), options.seed()).get(0);
        Encoded trainEnc;
        Encoded valEnc;
        Encoded testEnc;
        try (HuggingFaceTokenizer tok = BertEncoder.miniLmTokenizer(Map.of("truncation", "true", "maxLength", String.valueOf(MAX_TOKENS),
                "padding", "false"))) {
            trainEnc = encode(tok, train);
            valEnc = encode(tok, EmotionTweets.load(folder, EmotionTweets.Part.VALIDATION));
            testEnc = encode(tok, EmotionTweets.load(folder, EmotionTweets.Part.TEST));
        }
        if (log != null) {
            log.printf("emotion from %s: %d of %,d training tweets (seeded sample), %d validation, %d test; %.1f tokens per tweet on average%n",
                    folder, train.size(), all.size(), valEnc.labels().length, testEnc.labels().length,
                    trainEnc.ids().stream().mapToInt(a -> a.length).average().orElse(0));
        }
        RunRecord record = new RunRecord(ID, options.seed(), device.toString()).config("model", "all-MiniLM-L6-v2").config("budget", train.size())
                .config("epochs", epochs).config("batch_size", batch).config("learning_rate", lr).config("max_tokens", MAX_TOKENS);
        Map<String, Double> summary = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        ClassMetrics fineTuned;
        try (NDManager root = NDManager.newBaseManager(device)) {
            ClassMetrics probe;
            try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(device)) {
                long t0 = System.nanoTime();
                probe = linearProbe(encoder, root, trainEnc, testEnc, batch);
                rows.add(row("linear probe (frozen pretrained encoder)", probe, 0, 384L * 6 + 6, (System.nanoTime() - t0) / 1e9));
                if (log != null) {
                    log.printf("Linear probe: test accuracy %.1f %%, macro-F1 %.1f %%%n", 100 * probe.accuracy(), 100 * probe.macroF1());
                }
                t0 = System.nanoTime();
                encoder.addLora(LORA_RANK, LORA_ALPHA, options.seed());
                long loraParams = encoder.trainableParameters() + 384L * 6 + 6;
                Trained lo = fineTune("LoRA", encoder, false, root, trainEnc, valEnc, testEnc, epochs, batch, LORA_LR,
                        options, log);
                rows.add(row("LoRA r=8 on query/value (pretrained, frozen base)", lo.test(), lo.epoch(), loraParams, (System.nanoTime() - t0) / 1e9));
                double mergeDifference = mergeDifference(encoder, root, valEnc, batch);
                summary.put("lora_test_accuracy", lo.test().accuracy());
                summary.put("lora_test_macro_f1", lo.test().macroF1());
                summary.put("lora_trainable_parameters", (double) loraParams);
                summary.put("lora_merge_max_difference", mergeDifference);
                if (log != null) {
                    log.printf("LoRA: %,d trainable parameters (%.2f %% of the encoder); merged into the weights, the pooled states change by"
                            + " at most %.1e%n", loraParams, 100.0 * loraParams / encoder.parameters(), mergeDifference);
                }
            }
            try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(device)) {
                long t0 = System.nanoTime();
                Trained ft = fineTune("fine-tuning", encoder, true, root, trainEnc, valEnc, testEnc, epochs, batch, lr, options, log);
                fineTuned = ft.test();
                rows.add(row("full fine-tuning (pretrained)", ft.test(), ft.epoch(), encoder.parameters() + 384L * 6 + 6,
                        (System.nanoTime() - t0) / 1e9));
                summary.put("finetuned_seconds_per_step", ft.secondsPerStep());
                record.result("finetuned_validation_accuracy", ft.validation());
            }
            try (BertEncoder scratch = BertEncoder.random(new BertEncoder.Config(6, 384, 12, 1536, 30522, 512), options.seed(), device)) {
                long t0 = System.nanoTime();
                Trained sc = fineTune("from scratch", scratch, true, root, trainEnc, valEnc, testEnc, epochs, batch, lr, options, log);
                rows.add(row("same architecture from random initialisation", sc.test(), sc.epoch(), scratch.parameters() + 384L * 6 + 6,
                        (System.nanoTime() - t0) / 1e9));
                summary.put("scratch_test_accuracy", sc.test().accuracy());
                summary.put("scratch_test_macro_f1", sc.test().macroF1());
            }
            summary.put("probe_test_accuracy", probe.accuracy());
            summary.put("probe_test_macro_f1", probe.macroF1());
        }
        summary.put("finetuned_test_accuracy", fineTuned.accuracy());
        summary.put("finetuned_test_macro_f1", fineTuned.macroF1());
        Pictures.confusionMatrix(fineTuned.confusion(), EmotionTweets.LABELS, "Fine-tuned MiniLM on the emotion test tweets",
                runDir.resolve("confusion.png"));
        List<List<String>> perClass = new ArrayList<>();
        for (int c = 0; c < EmotionTweets.LABELS.size(); c++) {
            perClass.add(List.of(EmotionTweets.LABELS.get(c), HtmlReport.pct(fineTuned.precision()[c]), HtmlReport.pct(fineTuned.recall()[c]),
                    HtmlReport.pct(fineTuned.f1()[c]), String.valueOf(Arrays.stream(fineTuned.confusion()[c]).sum())));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        summary.put("wall_seconds", wall);
        record.result("models", rows).result("per_class", perClass).finish("completed", wall, 0);
        record.write(runDir);
        new HtmlReport("Week 11: fine-tuning a pretrained encoder on emotion")
                .paragraph(String.format(Locale.ROOT, "all-MiniLM-L6-v2 (6 layers, hidden 384, 22.6 M parameters, real weights) on %d labelled"
                        + " tweets; AdamW %s, batch %d, %d epochs, test figures at the best validation epoch; the linear probe trains a"
                        + " softmax layer on the frozen mean-pooled states.", train.size(), lr, batch, epochs))
                .table(List.of("model", "test accuracy", "test macro-F1", "tested epoch", "trained parameters", "seconds"), rows)
                .table(List.of("class (fine-tuned)", "precision", "recall", "F1", "test tweets"), perClass)
                .image("Confusion matrix of the fine-tuned model on the test tweets", runDir.resolve("confusion.png"))
                .write(runDir);
        if (log != null) {
            rows.forEach(r -> log.printf("  %-50s accuracy %s, macro-F1 %s (epoch %s, %s trained, %s s)%n", r.get(0), r.get(1), r.get(2), r.get(3),
                    r.get(4), r.get(5)));
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    private static List<String> row(String name, ClassMetrics m, int epoch, long trained, double seconds) {
        return List.of(name, HtmlReport.pct(m.accuracy()), HtmlReport.pct(m.macroF1()), epoch == 0 ? "-" : String.valueOf(epoch),
                String.format(Locale.ROOT, "%,d", trained), String.format(Locale.ROOT, "%.0f", seconds));
    }

    /** Largest change of the pooled states of some validation tweets when the adapters are merged into the weights. */
    private static double mergeDifference(BertEncoder encoder, NDManager root, Encoded val, int batch) {
        try (NDManager m = root.newSubManager()) {
            NDArray[] b = arrays(m, val, batches(val.ids(), batch, null).get(0));
            NDArray adapted = pooled(encoder, m, b);
            encoder.mergeLora();
            return pooled(encoder, m, b).sub(adapted).abs().max().getFloat();
        }
    }

    private static Encoded encode(HuggingFaceTokenizer tok, List<EmotionTweets.Tweet> tweets) {
        List<long[]> ids = new ArrayList<>(tweets.size());
        for (Encoding e : tok.batchEncode(tweets.stream().map(EmotionTweets.Tweet::text).toList())) {
            ids.add(e.getIds());
        }
        return new Encoded(ids, tweets.stream().mapToInt(EmotionTweets.Tweet::label).toArray());
    }

    /**
     * Batches of similar length: with a random source, shuffled, sorted by length within windows of 8 batches, and the
     * batches shuffled; without one, sorted by length (evaluation).
     */
    static List<int[]> batches(List<long[]> ids, int size, Random random) {
        Integer[] order = new Integer[ids.size()];
        Arrays.setAll(order, i -> i);
        if (random == null) {
            Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
        } else {
            java.util.Collections.shuffle(Arrays.asList(order), random);
            int window = size * 8;
            for (int from = 0; from < order.length; from += window) {
                Arrays.sort(order, from, Math.min(order.length, from + window), Comparator.comparingInt(i -> ids.get(i).length));
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += size) {
            out.add(Arrays.stream(order, from, Math.min(order.length, from + size)).mapToInt(Integer::intValue).toArray());
        }
        if (random != null) {
            java.util.Collections.shuffle(out, random);
        }
        return out;
    }

    /** (ids, types, mask, labels) of one batch, padded to its longest tweet. */
    private static NDArray[] arrays(NDManager m, Encoded data, int[] rows) {
        int t = Arrays.stream(rows).map(i -> data.ids().get(i).length).max().orElse(1);
        long[] ids = new long[rows.length * t];
        long[] mask = new long[ids.length];
        long[] labels = new long[rows.length];
        for (int r = 0; r < rows.length; r++) {
            long[] seq = data.ids().get(rows[r]);
            System.arraycopy(seq, 0, ids, r * t, seq.length);
            Arrays.fill(mask, r * t, r * t + seq.length, 1);
            labels[r] = data.labels()[rows[r]];
        }
        Shape s = new Shape(rows.length, t);
        return new NDArray[] {m.create(ids, s), m.zeros(s, DataType.INT64), m.create(mask, s), m.create(labels)};
    }

    /** The mean of the last hidden state over real tokens: what the head reads. */
    private static NDArray pooled(BertEncoder encoder, NDManager m, NDArray[] b) {
        return BertEncoder.meanPool(encoder.forward(m, b[0], b[1], b[2]), b[2]);
    }

    private static ClassMetrics linearProbe(BertEncoder encoder, NDManager root, Encoded train, Encoded test, int batch) {
        encoder.setTrainable(false);
        try (NDManager m = root.newSubManager()) {
            NDArray x = features(encoder, m, train, batch);
            NDArray y = m.create(Arrays.stream(train.labels()).asLongStream().toArray());
            NDArray[] head = head(m);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(PROBE_LR)).build();
            for (int step = 0; step < PROBE_STEPS; step++) {
                try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = x.matMul(head[0]).add(head[1]);
                    gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits)));
                }
                update(adam, head);
            }
            NDArray predicted = features(encoder, m, test, batch).matMul(head[0]).add(head[1]).argMax(1);
            return metrics(test.labels(), predicted.toLongArray());
        }
    }

    private static NDArray features(BertEncoder encoder, NDManager m, Encoded data, int batch) {
        float[] out = new float[data.ids().size() * 384];
        for (int[] rows : batches(data.ids(), batch, null)) {
            try (NDManager s = m.newSubManager()) {
                float[] f = pooled(encoder, s, arrays(s, data, rows)).toFloatArray();
                for (int r = 0; r < rows.length; r++) {
                    System.arraycopy(f, r * 384, out, rows[r] * 384, 384);
                }
            }
        }
        return m.create(out, new Shape(data.ids().size(), 384));
    }

    /** A fresh softmax layer (384 → 6), drawn from the engine's seeded generator. */
    private static NDArray[] head(NDManager m) {
        NDArray w = m.randomNormal(0f, 0.02f, new Shape(384, EmotionTweets.LABELS.size()), DataType.FLOAT32);
        NDArray b = m.zeros(new Shape(EmotionTweets.LABELS.size()));
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        return new NDArray[] {w, b};
    }

    private static void update(Optimizer optimizer, NDArray[] head) {
        for (int i = 0; i < head.length; i++) {
            try (NDArray g = head[i].getGradient()) {
                optimizer.update("head." + i, head[i], g);
            }
        }
    }

    private static ClassMetrics metrics(int[] truth, long[] predicted) {
        int k = EmotionTweets.LABELS.size();
        int[][] confusion = new int[k][k];
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][(int) predicted[i]]++;
        }
        return ClassMetrics.of(confusion);
    }

    /** What a training run gave: the test figures of the best validation epoch. */
    private record Trained(ClassMetrics test, int epoch, double validation, double secondsPerStep) {}

    private static Trained fineTune(String name, BertEncoder encoder, boolean everyWeight, NDManager root, Encoded train, Encoded val,
            Encoded test, int epochs, int batch, float lr, RunOptions options, PrintStream log) {
        if (everyWeight) {
            encoder.setTrainable(true);
        }
        Random random = new Random(options.seed());
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(lr)).optWeightDecays(0.01f).optClipGrad(1f).build();
        try (NDManager m = root.newSubManager()) {
            NDArray[] head = head(m);
            double bestValidation = -1;
            ClassMetrics bestTest = null;
            int bestEpoch = 0;
            long steps = 0;
            double stepSeconds = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double lossSum = 0;
                int n = 0;
                for (int[] rows : batches(train.ids(), batch, random)) {
                    long t0 = System.nanoTime();
                    try (NDManager s = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray[] b = arrays(s, train, rows);
                        NDArray logits = pooled(encoder, s, b).matMul(head[0]).add(head[1]);
                        NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(b[3]), new NDList(logits));
                        gc.backward(loss);
                        lossSum += loss.getFloat() * rows.length;
                        n += rows.length;
                    }
                    encoder.step(adamW);
                    update(adamW, head);
                    stepSeconds += (System.nanoTime() - t0) / 1e9;
                    steps++;
                    if (options.maxBatches() > 0 && steps % options.maxBatches() == 0) {
                        break;
                    }
                }
                ClassMetrics v = evaluate(encoder, m, head, val, batch);
                if (log != null) {
                    log.printf(Locale.ROOT, "%s, epoch %d: train loss %.4f | validation accuracy %.4f, macro-F1 %.4f | %.2f s/step, RSS %.0f MB%n", name,
                            epoch, lossSum / Math.max(1, n), v.accuracy(), v.macroF1(), stepSeconds / steps, MemoryProbe.residentMegabytes());
                }
                if (v.accuracy() > bestValidation) {
                    bestValidation = v.accuracy();
                    bestEpoch = epoch;
                    bestTest = evaluate(encoder, m, head, test, batch);
                }
            }
            encoder.setTrainable(false);
            return new Trained(bestTest, bestEpoch, bestValidation, stepSeconds / Math.max(1, steps));
        }
    }

    private static ClassMetrics evaluate(BertEncoder encoder, NDManager m, NDArray[] head, Encoded data, int batch) {
        long[] predicted = new long[data.labels().length];
        for (int[] rows : batches(data.ids(), batch, null)) {
            try (NDManager s = m.newSubManager()) {
                long[] p = pooled(encoder, s, arrays(s, data, rows)).matMul(head[0]).add(head[1]).argMax(1).toLongArray();
                for (int r = 0; r < rows.length; r++) {
                    predicted[rows[r]] = p[r];
                }
            }
        }
        return metrics(data.labels(), predicted);
    }
}
