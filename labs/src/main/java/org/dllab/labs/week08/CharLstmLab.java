package org.dllab.labs.week08;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.TextCorpus;
import org.dllab.data.TextDatasets;
import org.dllab.labs.Lab;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.LoopCheckpoint;
import org.dllab.run.MemoryProbe;
import org.dllab.run.ModelSize;
import org.dllab.run.Plots;
import org.dllab.run.Progress;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.run.TrainingInterrupt;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Week 8: a character-level LSTM language model on Tiny Shakespeare (90/10 split by position), its
 * training and validation loss, and text sampled from it at two temperatures.
 */
public final class CharLstmLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w08-char-lstm";

    /**
     * Passes over the 1 M training characters: three take about 80 s and reach 1.72 nats (a fourth:
     * 1.67).
     */
    public static final int EPOCHS = 3;

    /** Characters per training window: long enough for words and line breaks to matter. */
    public static final int BLOCK = 100;

    /**
     * LSTM state size, two layers: 256 costs four times the compute (0.9 s a batch on 2 cores) for
     * little gain here.
     */
    public static final int HIDDEN = 128;

    /** The text the samples start from. */
    public static final String PROMPT = "ROMEO:\n";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 8;
    }

    @Override
    public String title() {
        return "Character-level LSTM language model on Tiny Shakespeare: loss curve, samples at two temperatures";
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.RESUME);
    }

    /**
     * The training loop's progress after an epoch, kept with the weights for {@code --resume}.
     *
     * @param epochs epochs done
     * @param step steps done
     * @param trainCurve (step, mean training loss) points
     * @param valCurve (step, validation loss) points
     * @param losses the last epoch's train and validation loss
     */
    record Checkpointed(
            int epochs,
            long step,
            List<double[]> trainCurve,
            List<double[]> valCurve,
            Map<String, Double> losses) {}

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        int epochs = run.epochs(EPOCHS);
        int batchSize = run.batchSize(32); // more, smaller steps for the same compute
        float lr = run.learningRate(3e-3f);
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.TINY_SHAKESPEARE, log);
        String text = TextCorpus.loadTinyShakespeare(folder);
        if (options.limit() != null) {
            text = text.substring(0, Math.min(text.length(), options.limit()));
        }
        String chars = charsOf(text);
        long[] ids = encode(text, chars);
        int cut = (int) (ids.length * 0.9);
        long[] trainIds = java.util.Arrays.copyOfRange(ids, 0, cut);
        long[] valIds = java.util.Arrays.copyOfRange(ids, cut, ids.length);
        RunRecord record =
                run.record()
                        .config("block", BLOCK)
                        .config("characters", ids.length)
                        .config("vocabulary", chars.length());
        if (log != null) {
            log.printf(
                    "Tiny Shakespeare from %s: %,d characters, %d distinct; %,d for training, %,d for validation%n",
                    folder, ids.length, chars.length(), trainIds.length, valIds.length);
        }
        List<double[]> trainCurve = new ArrayList<>();
        List<double[]> valCurve = new ArrayList<>();
        Map<String, Double> summary = new LinkedHashMap<>();
        Map<Float, String> samples = new LinkedHashMap<>();
        try (Model model = Model.newInstance(ID, device)) {
            model.setBlock(new CharLstm(chars.length(), 64, HIDDEN, 2));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(lr))
                                            .optClipGrad(1f)
                                            .build())
                            .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, BLOCK));
                long params = ModelSize.parameters(model.getBlock());
                record.result("parameters", params);
                ArrayDataset train =
                        TextDatasets.languageModel(data, trainIds, BLOCK, batchSize, true);
                ArrayDataset val =
                        TextDatasets.languageModel(data, valIds, BLOCK, batchSize, false);
                LoopCheckpoint<Checkpointed> checkpoint =
                        LoopCheckpoint.of(run, Checkpointed.class);
                Checkpointed resumed = checkpoint.restore();
                long step = 0;
                int done = 0;
                if (resumed != null) {
                    checkpoint.restoreInto(model.getBlock());
                    done = resumed.epochs();
                    step = resumed.step();
                    trainCurve.addAll(resumed.trainCurve());
                    valCurve.addAll(resumed.valCurve());
                    summary.putAll(resumed.losses());
                }
                for (int epoch = done + 1; epoch <= epochs; epoch++) {
                    long total = (train.size() + batchSize - 1) / batchSize;
                    if (options.maxBatches() > 0) {
                        total = Math.min(total, options.maxBatches());
                    }
                    Progress bar = Progress.start("Epoch " + epoch + "/" + epochs, total, log);
                    double sum = 0;
                    int n = 0;
                    try (NDManager pass = data.newSubManager()) {
                        for (Batch b : train.getData(pass)) {
                            try (b;
                                    GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray loss =
                                        lmLoss(
                                                trainer,
                                                trainer.forward(b.getData()).head(),
                                                b.getLabels().head());
                                gc.backward(loss);
                                float l = loss.getFloat();
                                if (!Float.isFinite(l)) {
                                    throw new org.dllab.run.TrainingStoppedException(
                                            org.dllab.run.TrainingStoppedException.Reason.DIVERGED,
                                            "training stopped in epoch "
                                                    + epoch
                                                    + ": the loss became "
                                                    + l
                                                    + " (lower --lr)");
                                }
                                sum += l;
                                n++;
                                step++;
                                if (step % 20 == 0) {
                                    trainCurve.add(new double[] {step, sum / n});
                                }
                            }
                            trainer.step();
                            TrainingInterrupt.check(); // a signal stops the run here, between steps
                            if (bar != null) {
                                bar.update(n, String.format(Locale.ROOT, "loss %.3f", sum / n));
                            }
                            if (n >= total) {
                                break;
                            }
                        }
                    }
                    if (bar != null) {
                        bar.end();
                    }
                    if (trainCurve.isEmpty() || trainCurve.get(trainCurve.size() - 1)[0] != step) {
                        trainCurve.add(
                                new double[] {
                                    step, sum / n
                                }); // every epoch ends on the curve, however short
                    }
                    double v = validationLoss(trainer, val, options.maxBatches());
                    valCurve.add(new double[] {step, v});
                    if (log != null) {
                        log.printf(
                                "Epoch %d: train loss %.3f, validation loss %.3f (perplexity %.2f per character), RSS %.0f MB%n",
                                epoch, sum / n, v, Math.exp(v), MemoryProbe.residentMegabytes());
                    }
                    summary.put("train_loss", sum / n);
                    summary.put("validation_loss", v);
                    checkpoint.save(
                            new Checkpointed(
                                    epoch,
                                    step,
                                    trainCurve,
                                    valCurve,
                                    Map.of("train_loss", sum / n, "validation_loss", v)),
                            LoopCheckpoint.arraysOf(model.getBlock()));
                }
                Random r = new Random(options.seed());
                for (float t : new float[] {0.5f, 1.0f}) {
                    samples.put(t, sample(model.getBlock(), data, chars, PROMPT, 400, t, r));
                }
                summary.put("parameters", (double) params);
            }
        }
        XYChart chart = Plots.chart("Cross-entropy per character", "step", "loss (nats)");
        chart.addSeries(
                "train (running mean within the epoch)",
                trainCurve.stream().mapToDouble(p -> p[0]).toArray(),
                trainCurve.stream().mapToDouble(p -> p[1]).toArray());
        chart.addSeries(
                "validation",
                valCurve.stream().mapToDouble(p -> p[0]).toArray(),
                valCurve.stream().mapToDouble(p -> p[1]).toArray());
        BitmapEncoder.saveBitmap(
                chart, runDir.resolve("loss").toString(), BitmapEncoder.BitmapFormat.PNG);
        StringBuilder sampleText = new StringBuilder();
        samples.forEach(
                (t, s) ->
                        sampleText
                                .append("=== temperature ")
                                .append(t)
                                .append(" ===\n")
                                .append(s)
                                .append("\n\n"));
        Files.writeString(runDir.resolve("samples.txt"), sampleText);
        double wall = run.seconds();
        summary.put(
                "validation_perplexity",
                Math.exp(summary.getOrDefault("validation_loss", Double.NaN)));
        record.result("validation_loss", summary.get("validation_loss")).result("samples", samples);
        run.save();
        HtmlReport report =
                new HtmlReport("Week 8: a character-level LSTM on Tiny Shakespeare")
                        .paragraph(
                                String.format(
                                        Locale.ROOT,
                                        "%,d characters (%d distinct), 2-layer LSTM of "
                                                + HIDDEN
                                                + ", %d epochs of %d-character"
                                                + " windows; validation loss %.3f nats per character (perplexity %.2f); %.0f s.",
                                        ids.length,
                                        chars.length(),
                                        epochs,
                                        BLOCK,
                                        summary.get("validation_loss"),
                                        summary.get("validation_perplexity"),
                                        wall))
                        .image("Training and validation loss", runDir.resolve("loss.png"));
        samples.forEach((t, s) -> report.heading("Sample, temperature " + t).preformatted(s));
        report.write(runDir);
        if (log != null) {
            samples.forEach((t, s) -> log.printf("--- temperature %.1f ---%n%s%n", t, s));
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /** The distinct characters, sorted: id = position. */
    static String charsOf(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.chars().forEach(set::add);
        StringBuilder sb = new StringBuilder();
        set.forEach(c -> sb.append((char) c.intValue()));
        return sb.toString();
    }

    static long[] encode(String text, String chars) {
        long[] out = new long[text.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = chars.indexOf(text.charAt(i));
        }
        return out;
    }

    /** Mean cross-entropy over every position: (N, L, V) logits against (N, L) next characters. */
    private static NDArray lmLoss(Trainer trainer, NDArray logits, NDArray labels) {
        long v = logits.getShape().get(2);
        return trainer.getLoss()
                .evaluate(new NDList(labels.reshape(-1)), new NDList(logits.reshape(-1, v)));
    }

    private static double validationLoss(Trainer trainer, ArrayDataset val, long maxBatches)
            throws Exception {
        double sum = 0;
        int n = 0;
        try (NDManager pass = trainer.getManager().newSubManager()) {
            for (Batch b : val.getData(pass)) {
                try (b) {
                    sum +=
                            lmLoss(
                                            trainer,
                                            trainer.evaluate(b.getData()).head(),
                                            b.getLabels().head())
                                    .getFloat();
                    n++;
                }
                if (maxBatches > 0 && n >= maxBatches) {
                    break;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Samples text: the model reads the last {@link #BLOCK} characters and the next one is drawn
     * from softmax(logits / temperature); low temperatures pick the likeliest characters, 1.0
     * samples the model as it is.
     *
     * @param block the trained model
     * @param m a manager for the step arrays
     * @param chars the vocabulary
     * @param prompt the start (its characters must be in the vocabulary)
     * @param length characters to add
     * @param temperature above 0
     * @param random the source of the draws
     * @return prompt plus the sampled characters
     */
    static String sample(
            ai.djl.nn.Block block,
            NDManager m,
            String chars,
            String prompt,
            int length,
            float temperature,
            Random random) {
        StringBuilder text = new StringBuilder(prompt);
        for (int i = 0; i < length; i++) {
            try (NDManager s = m.newSubManager()) {
                String context = text.substring(Math.max(0, text.length() - BLOCK));
                long[] ids = encode(context, chars);
                NDArray logits =
                        block.forward(
                                        new ParameterStore(s, false),
                                        new NDList(s.create(ids, new Shape(1, ids.length))),
                                        false)
                                .head()
                                .get(0, ids.length - 1);
                float[] p = logits.div(temperature).softmax(0).toFloatArray();
                double u = random.nextDouble();
                int next = p.length - 1;
                double acc = 0;
                for (int k = 0; k < p.length; k++) {
                    acc += p[k];
                    if (u < acc) {
                        next = k;
                        break;
                    }
                }
                text.append(chars.charAt(next));
            }
        }
        return text.toString();
    }
}
