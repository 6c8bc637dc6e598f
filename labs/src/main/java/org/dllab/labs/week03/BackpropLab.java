package org.dllab.labs.week03;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dllab.data.ImageSet;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.run.TrainingInterrupt;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 3: backpropagation by hand. A two-layer MLP ({@link TwoLayerNet}) on MNIST: its hand-written
 * gradients are compared with DJL's autograd and with finite differences (a gradient-check table,
 * float64), then two copies of the net train side by side, one with the hand backward pass and one
 * with autograd, from the same initial weights.
 */
public final class BackpropLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w03-backprop";

    /** Hidden units: small enough to train in seconds, large enough to pass 95 % in an epoch. */
    public static final int HIDDEN = 128;

    /** Plain SGD's step for this net; stable from the first batch. */
    public static final float LEARNING_RATE = 0.1f;

    /** Entries per parameter checked by finite differences (each costs two forward passes). */
    public static final int NUMERIC_PROBES = 6;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean smallOperations() {
        return true; // a two-layer net by hand: 5.4-5.5 s -> 4.7-4.8 s on one thread
        // (docs/benchmarks.md, "Threads")
    }

    @Override
    public int week() {
        return 3;
    }

    @Override
    public String title() {
        return "Backprop by hand for a 2-layer MLP on MNIST: gradient-check table, hand vs autograd training";
    }

    /**
     * One row of the gradient-check table.
     *
     * @param parameter the name
     * @param shape its shape
     * @param autogradError max relative error, hand vs autograd (all entries)
     * @param numericError max relative error, hand vs central differences (sampled entries)
     */
    public record CheckRow(
            String parameter, String shape, double autogradError, double numericError) {}

    /**
     * Relative error {@code |a - b| / max(|a| + |b|, 1e-8)}, maximised over entries.
     *
     * @param a values
     * @param b values
     * @return the largest relative error
     */
    public static double maxRelativeError(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst =
                    Math.max(
                            worst,
                            Math.abs(a[i] - b[i])
                                    / Math.max(Math.abs(a[i]) + Math.abs(b[i]), 1e-8));
        }
        return worst;
    }

    /**
     * The gradient check, in float64, on a batch of real images.
     *
     * @param m manager
     * @param images the batch's images
     * @param seed for the weights and the probed entries
     * @return one row per parameter
     */
    public static List<CheckRow> gradientCheck(NDManager m, ImageSet images, long seed) {
        List<CheckRow> rows = new ArrayList<>();
        try (NDManager scope = m.newSubManager();
                TwoLayerNet net =
                        TwoLayerNet.create(
                                scope, images.imageBytes(), 32, 10, seed, DataType.FLOAT64)) {
            NDArray x = pixels(scope, images).toType(DataType.FLOAT64, false);
            NDArray y = labels(scope, images);
            Map<String, NDArray> hand = new HashMap<>();
            Map<String, NDArray> auto = new HashMap<>();
            net.lossAndGradients(x, y, hand);
            net.lossAndAutogradGradients(x, y, auto);
            Random r = new Random(seed);
            double eps = 1e-6;
            for (String name : TwoLayerNet.NAMES) {
                double[] h = hand.get(name).toDoubleArray();
                double autoErr = maxRelativeError(h, auto.get(name).toDoubleArray());
                NDArray p = net.param(name);
                double[] numeric = new double[NUMERIC_PROBES];
                double[] handAt = new double[NUMERIC_PROBES];
                for (int k = 0; k < NUMERIC_PROBES; k++) {
                    int i = pickInformative(h, r);
                    double[] bump = new double[h.length];
                    bump[i] = eps;
                    try (NDArray delta = scope.create(bump, p.getShape())) {
                        p.addi(delta);
                        double plus = loss(net, x, y);
                        p.subi(delta).subi(delta);
                        double minus = loss(net, x, y);
                        p.addi(delta); // restore
                        numeric[k] = (plus - minus) / (2 * eps);
                    }
                    handAt[k] = h[i];
                }
                rows.add(
                        new CheckRow(
                                name,
                                p.getShape().toString(),
                                autoErr,
                                maxRelativeError(handAt, numeric)));
            }
        }
        return rows;
    }

    /**
     * A random entry with a non-negligible gradient (most of W1's rows belong to always-black
     * pixels).
     */
    private static int pickInformative(double[] grad, Random r) {
        for (int tries = 0; tries < 1000; tries++) {
            int i = r.nextInt(grad.length);
            if (Math.abs(grad[i]) > 1e-6) {
                return i;
            }
        }
        return r.nextInt(grad.length);
    }

    private static double loss(TwoLayerNet net, NDArray x, NDArray y) {
        try (NDManager tmp = x.getManager().newSubManager()) {
            x.tempAttach(tmp);
            return TwoLayerNet.scalar(TwoLayerNet.crossEntropy(net.logits(x), y));
        }
    }

    private static NDArray pixels(NDManager m, ImageSet set) {
        float[] v = new float[set.pixels().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((set.pixels()[i] & 0xFF) / 255f - 0.1307f) / 0.3081f;
        }
        return m.create(v, new Shape(set.size(), set.imageBytes()));
    }

    private static NDArray labels(NDManager m, ImageSet set) {
        long[] y = new long[set.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = set.label(i);
        }
        return m.create(y);
    }

    private static double accuracy(TwoLayerNet net, NDArray x, NDArray y) {
        try (NDManager tmp = x.getManager().newSubManager()) {
            x.tempAttach(tmp);
            return net.logits(x).argMax(1).eq(y).toType(DataType.FLOAT32, false).mean().getFloat();
        }
    }

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(
                LabOption.EPOCHS,
                LabOption.BATCH_SIZE,
                LabOption.LEARNING_RATE,
                LabOption.MAX_BATCHES,
                LabOption.LIMIT);
    }

    @Override
    public String cpuOnlyBecause() {
        return "its backward pass is written by hand on CPU arrays, the point of the week, and compared with autograd there";
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        int epochs = run.epochs(1);
        int batchSize = run.batchSize(64);
        float lr = run.learningRate(LEARNING_RATE);
        ImageData images = ImageData.mnist(options, log);
        ImageSet train = images.train();
        ImageSet test = images.test();
        RunRecord record =
                run.record().config("hidden", HIDDEN).config("max_batches", options.maxBatches());
        Map<String, Double> summary = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            // 1. Gradient check on 16 real images
            List<CheckRow> check = gradientCheck(m, test.limit(16), options.seed());
            List<List<String>> checkRows = new ArrayList<>();
            for (CheckRow c : check) {
                checkRows.add(
                        List.of(
                                c.parameter(),
                                c.shape(),
                                String.format(Locale.ROOT, "%.2e", c.autogradError()),
                                String.format(Locale.ROOT, "%.2e", c.numericError())));
                summary.put("check_autograd_" + c.parameter(), c.autogradError());
                summary.put("check_numeric_" + c.parameter(), c.numericError());
                if (log != null) {
                    log.printf(
                            "gradient check %-3s %-12s hand vs autograd %.2e   hand vs finite differences %.2e%n",
                            c.parameter(), c.shape(), c.autogradError(), c.numericError());
                }
            }

            // 2. Train two copies from the same weights: hand backward vs autograd
            List<Double> handLosses = new ArrayList<>();
            List<Double> autoLosses = new ArrayList<>();
            double handAcc;
            double autoAcc;
            try (TwoLayerNet hand =
                            TwoLayerNet.create(
                                    m, 784, HIDDEN, 10, options.seed(), DataType.FLOAT32);
                    TwoLayerNet auto =
                            TwoLayerNet.create(
                                    m, 784, HIDDEN, 10, options.seed(), DataType.FLOAT32);
                    NDManager data = m.newSubManager()) {
                NDArray xTest = pixels(data, test);
                NDArray yTest = labels(data, test);
                ArrayDataset ds =
                        train.toDataset(
                                data,
                                batchSize,
                                true,
                                new float[] {0.1307f},
                                new float[] {0.3081f});
                for (int e = 1; e <= epochs; e++) {
                    long batches = 0;
                    try (NDManager epoch = data.newSubManager()) {
                        for (Batch b : ds.getData(epoch)) {
                            try (b) {
                                NDArray x = b.getData().head().reshape(-1, 784);
                                NDArray y = b.getLabels().head();
                                Map<String, NDArray> g = new HashMap<>();
                                handLosses.add(hand.lossAndGradients(x, y, g));
                                TrainingInterrupt
                                        .check(); // a signal stops the run here, between steps
                                hand.sgd(g, lr);
                                g.clear();
                                autoLosses.add(auto.lossAndAutogradGradients(x, y, g));
                                auto.sgd(g, lr);
                            }
                            if (++batches
                                    >= (options.maxBatches() > 0
                                            ? options.maxBatches()
                                            : Long.MAX_VALUE)) {
                                break;
                            }
                        }
                    }
                    if (log != null) {
                        log.printf(
                                "epoch %d: last-batch loss hand %.4f, autograd %.4f%n",
                                e,
                                handLosses.get(handLosses.size() - 1),
                                autoLosses.get(autoLosses.size() - 1));
                    }
                }
                handAcc = accuracy(hand, xTest, yTest);
                autoAcc = accuracy(auto, xTest, yTest);
                double weightDiff = 0;
                for (String name : TwoLayerNet.NAMES) {
                    double[] a = hand.param(name).toType(DataType.FLOAT64, false).toDoubleArray();
                    double[] b = auto.param(name).toType(DataType.FLOAT64, false).toDoubleArray();
                    for (int i = 0; i < a.length; i++) {
                        weightDiff = Math.max(weightDiff, Math.abs(a[i] - b[i]));
                    }
                }
                summary.put("hand_vs_autograd_max_weight_diff", weightDiff);
            }
            summary.put("hand_test_accuracy", handAcc);
            summary.put("autograd_test_accuracy", autoAcc);
            summary.put("first_loss", handLosses.get(0));
            summary.put("last_loss", handLosses.get(handLosses.size() - 1));

            XYChart chart =
                    Plots.chart(
                            "Two-layer MLP on MNIST: training loss per batch",
                            "batch",
                            "cross-entropy");
            chart.getStyler().setYAxisLogarithmic(true);
            double[] xs =
                    java.util.stream.IntStream.range(0, handLosses.size())
                            .asDoubleStream()
                            .toArray();
            chart.addSeries(
                            "hand-written backward",
                            xs,
                            handLosses.stream().mapToDouble(Double::doubleValue).toArray())
                    .setMarker(SeriesMarkers.NONE);
            chart.addSeries(
                            "autograd (dashed)",
                            xs,
                            autoLosses.stream().mapToDouble(Double::doubleValue).toArray())
                    .setMarker(SeriesMarkers.NONE)
                    .setLineStyle(
                            new java.awt.BasicStroke(
                                    1.5f,
                                    java.awt.BasicStroke.CAP_BUTT,
                                    java.awt.BasicStroke.JOIN_MITER,
                                    10f,
                                    new float[] {6f, 6f},
                                    0f));
            BitmapEncoder.saveBitmap(
                    chart, runDir.resolve("loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);

            record.result("gradient_check", checkRows)
                    .result("hand_test_accuracy", handAcc)
                    .result("autograd_test_accuracy", autoAcc);
            run.save();
            new HtmlReport("Week 3: backpropagation by hand")
                    .heading("Gradient check (float64, 16 MNIST test images, hidden 32)")
                    .table(
                            List.of(
                                    "parameter",
                                    "shape",
                                    "max rel. error vs autograd",
                                    "max rel. error vs finite differences"),
                            checkRows)
                    .heading("Training: hand backward vs autograd, same initial weights")
                    .paragraph(
                            String.format(
                                    Locale.ROOT,
                                    "Test accuracy: hand %.2f %%, autograd %.2f %%; largest weight difference %.2e.",
                                    100 * handAcc,
                                    100 * autoAcc,
                                    summary.get("hand_vs_autograd_max_weight_diff")))
                    .image(
                            "Training loss: the two curves lie on top of each other",
                            runDir.resolve("loss.png"))
                    .write(runDir);
            if (log != null) {
                log.printf(
                        "test accuracy: hand %.2f %%, autograd %.2f %%; largest weight difference %.2e%n",
                        100 * handAcc,
                        100 * autoAcc,
                        summary.get("hand_vs_autograd_max_weight_diff"));
                log.println("Run folder: " + runDir.toAbsolutePath());
            }
        }
        return new LabResult(runDir, List.of(), summary);
    }
}
