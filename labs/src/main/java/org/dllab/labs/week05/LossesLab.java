package org.dllab.labs.week05;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.dllab.core.DjlRuntime;
import org.dllab.core.Scalars;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.models.Mlp;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Week 5: loss functions. Each loss of {@link Losses} is checked against DJL's own (or a float64
 * reference where DJL has none), naive softmax is shown overflowing next to the stable form,
 * entropy and cross-entropy are worked on small examples, and the MNIST MLP is trained with three
 * classification losses to compare accuracy and confidence.
 */
public final class LossesLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w05-losses";

    /** Label smoothing used in the comparison: the value of the Inception-v3 paper. */
    public static final float SMOOTHING = 0.1f;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean smallOperations() {
        return true; // MLPs at batch 64: 13.5-13.7 s -> 10.7-11.0 s on one thread
        // (docs/benchmarks.md, "Threads")
    }

    @Override
    public int week() {
        return 5;
    }

    @Override
    public String title() {
        return "Losses from scratch (MSE, MAE, Huber, BCE, CE, label smoothing, KL) vs DJL; stable softmax; MNIST comparison";
    }

    /**
     * One row of the check table.
     *
     * @param loss the loss
     * @param ours our value
     * @param reference the reference value
     * @param referenceName what the reference is
     */
    public record Check(String loss, double ours, double reference, String referenceName) {
        /**
         * The absolute difference.
         *
         * @return |ours - reference|
         */
        public double difference() {
            return Math.abs(ours - reference);
        }
    }

    /**
     * Every loss against its reference on seeded random inputs (64 examples, 10 classes).
     *
     * @param m manager
     * @param seed seed
     * @return the checks
     */
    public static List<Check> checks(NDManager m, long seed) {
        Random r = new Random(seed);
        int n = 64;
        int k = 10;
        float[] p = new float[n * k];
        float[] t = new float[n * k];
        float[] bin = new float[n * k];
        long[] labels = new long[n];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (3 * r.nextGaussian());
            t[i] = (float) (3 * r.nextGaussian());
            bin[i] = r.nextBoolean() ? 1 : 0;
        }
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
        }
        List<Check> out = new ArrayList<>();
        try (NDManager s = m.newSubManager()) {
            NDArray pred = s.create(p, new Shape(n, k));
            NDArray target = s.create(t, new Shape(n, k));
            NDArray bits = s.create(bin, new Shape(n, k));
            NDArray y = s.create(labels);
            out.add(
                    new Check(
                            "MSE",
                            Losses.mse(pred, target).getFloat(),
                            2
                                    * Loss.l2Loss()
                                            .evaluate(new NDList(target), new NDList(pred))
                                            .getFloat(),
                            "DJL L2Loss x 2 (DJL halves it)"));
            out.add(
                    new Check(
                            "MAE",
                            Losses.mae(pred, target).getFloat(),
                            Loss.l1Loss().evaluate(new NDList(target), new NDList(pred)).getFloat(),
                            "DJL L1Loss"));
            out.add(
                    new Check(
                            "Huber (delta 1)",
                            Losses.huber(pred, target, 1f).getFloat(),
                            huberReference(p, t, 1.0),
                            "float64 loop"));
            out.add(
                    new Check(
                            "BCE from logits",
                            Losses.binaryCrossEntropyWithLogits(pred, bits).getFloat(),
                            Loss.sigmoidBinaryCrossEntropyLoss()
                                    .evaluate(new NDList(bits), new NDList(pred))
                                    .getFloat(),
                            "DJL SigmoidBinaryCrossEntropyLoss"));
            out.add(
                    new Check(
                            "cross-entropy from logits",
                            Losses.crossEntropy(pred, y).getFloat(),
                            Loss.softmaxCrossEntropyLoss()
                                    .evaluate(new NDList(y), new NDList(pred))
                                    .getFloat(),
                            "DJL SoftmaxCrossEntropyLoss"));
            out.add(
                    new Check(
                            "label smoothing 0.1",
                            Losses.labelSmoothedCrossEntropy(pred, y, 0.1f).getFloat(),
                            smoothedReference(p, labels, k, 0.1),
                            "float64 loop"));
            NDArray pa = Losses.stableSoftmax(pred);
            NDArray pb = Losses.stableSoftmax(target);
            out.add(
                    new Check(
                            "KL divergence",
                            Losses.klDivergence(pa, pb).getFloat(),
                            klReference(p, t, k),
                            "float64 loop"));
        }
        return out;
    }

    static double huberReference(float[] p, float[] t, double delta) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double r = Math.abs(p[i] - t[i]);
            sum += r <= delta ? 0.5 * r * r : delta * (r - delta / 2);
        }
        return sum / p.length;
    }

    static double[] softmaxRow(float[] z, int row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[row * k + j]);
        }
        double sum = 0;
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = Math.exp(z[row * k + j] - max);
            sum += out[j];
        }
        for (int j = 0; j < k; j++) {
            out[j] /= sum;
        }
        return out;
    }

    static double smoothedReference(float[] z, long[] labels, int k, double eps) {
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double[] q = softmaxRow(z, i, k);
            for (int j = 0; j < k; j++) {
                double target = (j == labels[i] ? 1 - eps : 0) + eps / k;
                total -= target * Math.log(q[j]);
            }
        }
        return total / labels.length;
    }

    static double klReference(float[] a, float[] b, int k) {
        int n = a.length / k;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] p = softmaxRow(a, i, k);
            double[] q = softmaxRow(b, i, k);
            for (int j = 0; j < k; j++) {
                total += p[j] * Math.log(p[j] / q[j]);
            }
        }
        return total / n;
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training();
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        int epochs = run.epochs(1);
        int batchSize = run.batchSize(64);
        float lr = run.learningRate(1e-3f);
        Map<String, Double> summary = new LinkedHashMap<>();
        RunRecord record = run.record().config("label_smoothing", SMOOTHING);
        HtmlReport report = new HtmlReport("Week 5: loss functions");
        try (NDManager m = NDManager.newBaseManager()) {
            // 1. Each loss against a reference
            List<List<String>> checkRows = new ArrayList<>();
            for (Check c : checks(m, options.seed())) {
                checkRows.add(
                        List.of(
                                c.loss(),
                                f("%.6f", c.ours()),
                                f("%.6f", c.reference()),
                                f("%.1e", c.difference()),
                                c.referenceName()));
                summary.put("check_" + c.loss(), c.difference());
                if (log != null) {
                    log.printf(
                            "%-26s ours %.6f  reference %.6f  |diff| %.1e  (%s)%n",
                            c.loss(), c.ours(), c.reference(), c.difference(), c.referenceName());
                }
            }
            report.heading("1. Each loss against a reference (64 random examples, 10 classes)")
                    .table(
                            List.of("loss", "ours", "reference", "|difference|", "reference is"),
                            checkRows);

            // 2. Naive vs stable softmax
            float[][] rows = {{1000, 1001, 1002}, {-1000, -1001, -1002}, {1, 2, 3}};
            List<List<String>> softRows = new ArrayList<>();
            for (float[] row : rows) {
                try (NDManager s = m.newSubManager()) {
                    NDArray z = s.create(row, new Shape(1, 3));
                    String naive = java.util.Arrays.toString(Losses.naiveSoftmax(z).toFloatArray());
                    String stable =
                            java.util.Arrays.toString(Losses.stableSoftmax(z).toFloatArray());
                    softRows.add(List.of(java.util.Arrays.toString(row), naive, stable));
                    if (log != null) {
                        log.printf(
                                "softmax%-24s naive %-28s stable %s%n",
                                java.util.Arrays.toString(row), naive, stable);
                    }
                }
            }
            summary.put(
                    "naive_softmax_overflows", softRows.get(0).get(1).contains("NaN") ? 1.0 : 0.0);
            report.heading(
                            "2. Softmax: exp(1000) overflows; subtracting the maximum first does not change the answer")
                    .table(List.of("logits", "naive exp(z)/sum", "stable"), softRows);

            // 3. Entropy and cross-entropy, worked
            List<List<String>> entRows = new ArrayList<>();
            double[][] dists = {
                {0.5, 0.5},
                {0.9, 0.1},
                {1.0, 0.0},
                {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}
            };
            for (double[] d : dists) {
                try (NDManager s = m.newSubManager()) {
                    double h = Losses.entropy(s.create(d, new Shape(1, d.length))).getDouble();
                    entRows.add(
                            List.of(
                                    java.util.Arrays.toString(d),
                                    f("%.4f", h),
                                    f("%.4f", h / Math.log(2))));
                }
            }
            summary.put("entropy_uniform10", Math.log(10));
            report.heading("3. Entropy H(p) = -sum p log p")
                    .table(List.of("p", "nats", "bits"), entRows)
                    .paragraph(
                            "An untrained 10-class classifier that outputs uniform probabilities has cross-entropy ln 10 = 2.3026: "
                                    + "the loss you should see at the very first batch. KL(p || q) = CE(p, q) - H(p) >= 0.");

            // 4. Train the MNIST MLP with three classification losses
            ImageData images = ImageData.mnist(options, log);
            ImageSet train = images.train();
            ImageSet test = images.test();
            Map<String, BiFunction<NDArray, NDArray, NDArray>> losses = new LinkedHashMap<>();
            losses.put("cross-entropy", (labels, logits) -> Losses.crossEntropy(logits, labels));
            losses.put(
                    "label smoothing 0.1",
                    (labels, logits) ->
                            Losses.labelSmoothedCrossEntropy(logits, labels, SMOOTHING));
            losses.put(
                    "MSE on softmax",
                    (labels, logits) ->
                            Scalars.mul(
                                    Losses.mse(
                                            Losses.stableSoftmax(logits),
                                            labels.oneHot(10).toType(logits.getDataType(), false)),
                                    10)); // x10: sum over classes, like CE
            XYChart hist =
                    Plots.chart(
                            "Confidence on the test set (max softmax probability)",
                            "confidence",
                            "fraction of test images");
            hist.getStyler().setYAxisLogarithmic(true);
            List<List<String>> trainRows = new ArrayList<>();
            for (Map.Entry<String, BiFunction<NDArray, NDArray, NDArray>> e : losses.entrySet()) {
                DjlRuntime.engine((int) options.seed());
                List<EpochMetrics> ms = new ArrayList<>();
                double[] bins = new double[20];
                double meanConfidence = 0;
                try (Model model = Model.newInstance(ID, device)) {
                    model.setBlock(Mlp.mnist());
                    DefaultTrainingConfig cfg =
                            ClassifierTraining.config(
                                    Losses.asDjlLoss(e.getKey(), e.getValue()),
                                    ai.djl.training.optimizer.Optimizer.adam()
                                            .optLearningRateTracker(
                                                    ai.djl.training.tracker.Tracker.fixed(lr))
                                            .build(),
                                    device);
                    try (Trainer trainer = model.newTrainer(cfg);
                            NDManager data = model.getNDManager().newSubManager()) {
                        trainer.initialize(new Shape(1, 1, 28, 28));
                        if (log != null) {
                            log.println("MNIST MLP with " + e.getKey());
                        }
                        ArrayDataset testDs =
                                test.toDataset(data, batchSize, false, MnistIdx.MEAN, MnistIdx.STD);
                        new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                                .fit(
                                        train.toDataset(
                                                data, batchSize, true, MnistIdx.MEAN, MnistIdx.STD),
                                        testDs,
                                        epochs,
                                        ms::add);
                        long count = 0;
                        try (NDManager pass = data.newSubManager()) {
                            for (Batch b : testDs.getData(pass)) {
                                try (b) {
                                    float[] conf =
                                            trainer.evaluate(b.getData())
                                                    .singletonOrThrow()
                                                    .softmax(1)
                                                    .max(new int[] {1})
                                                    .toFloatArray();
                                    for (float c : conf) {
                                        bins[Math.min(19, (int) (c * 20))]++;
                                        meanConfidence += c;
                                    }
                                    count += conf.length;
                                }
                            }
                        }
                        for (int i = 0; i < bins.length; i++) {
                            bins[i] =
                                    Math.max(
                                            bins[i] / count,
                                            1e-5); // log axis: keep empty bins visible
                        }
                        meanConfidence /= count;
                    }
                }
                double[] centers =
                        java.util.stream.IntStream.range(0, 20)
                                .mapToDouble(i -> (i + 0.5) / 20)
                                .toArray();
                hist.addSeries(e.getKey(), centers, bins);
                EpochMetrics last = ms.get(ms.size() - 1);
                trainRows.add(
                        List.of(
                                e.getKey(),
                                HtmlReport.pct(last.testAccuracy()),
                                f("%.4f", meanConfidence)));
                String key = e.getKey().split(" ")[0].toLowerCase(Locale.ROOT);
                summary.put("mnist_accuracy_" + key, last.testAccuracy());
                summary.put("mnist_confidence_" + key, meanConfidence);
            }
            BitmapEncoder.saveBitmap(
                    hist,
                    runDir.resolve("confidence.png").toString(),
                    BitmapEncoder.BitmapFormat.PNG);
            report.heading("4. The MNIST MLP trained with three losses (same initial weights)")
                    .table(List.of("loss", "test accuracy", "mean confidence"), trainRows)
                    .image(
                            "Label smoothing keeps the network from putting all its probability on one class",
                            runDir.resolve("confidence.png"));
            if (log != null) {
                for (List<String> r : trainRows) {
                    log.printf(
                            "MNIST %-20s test accuracy %s, mean confidence %s%n",
                            r.get(0), r.get(1), r.get(2));
                }
            }
            record.result("checks", checkRows)
                    .result("softmax", softRows)
                    .result("entropy", entRows)
                    .result("mnist", trainRows);
        }
        run.save();
        report.write(runDir);
        if (log != null) {
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
