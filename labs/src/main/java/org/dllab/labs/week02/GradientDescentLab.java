package org.dllab.labs.week02;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.data.Split;
import org.dllab.labs.Lab;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 2: gradient descent, three ways, on real data.
 *
 * <ol>
 *   <li><b>Linear regression</b> of MNIST pixels onto one-hot digit labels (a linear classifier
 *       trained by least squares): normal equations vs gradient descent with a hand-written
 *       gradient vs DJL autograd.
 *   <li><b>Logistic regression</b>, "3" against "8": Newton's method vs hand gradient vs autograd.
 *   <li><b>Learning-rate sweep</b>: step sizes as fractions of the stability bound {@code 2 /
 *       lambda_max}, which the lab computes by power iteration; below it the loss falls, above it
 *       the loss explodes.
 * </ol>
 *
 * Pixels are scaled to [0, 1] and centred (each pixel's training mean subtracted): centring removes
 * one huge eigenvalue of {@code X^T X}, so gradient descent can take far larger steps.
 */
public final class GradientDescentLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w02-gradient-descent";

    /**
     * Full-batch steps for each gradient-descent run: enough to approach the closed form visibly.
     */
    public static final int STEPS = 200;

    /** Steps per learning rate in the sweep. */
    public static final int SWEEP_STEPS = 60;

    /** Step sizes tried, as fractions of the stability bound. */
    public static final double[] SWEEP = {0.1, 0.5, 0.9, 1.05, 1.5};

    /**
     * Training images by default (a seeded sample; {@code --limit} changes it): full-batch steps
     * read the whole design matrix, and 12,000 images keep a step near 20 ms on two cores.
     */
    public static final int DEFAULT_TRAIN = 12_000;

    /** L2 strength of the logistic loss: keeps the separable 3-vs-8 problem's weights finite. */
    public static final float LAMBDA = 1e-3f;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 2;
    }

    @Override
    public String title() {
        return "Linear and logistic regression on MNIST: closed form, hand gradient, autograd; learning-rate sweep";
    }

    /**
     * Design matrix: pixels / 255, centred with the given means, then a bias column of ones.
     *
     * @param m the manager
     * @param set the images
     * @param mean per-pixel means (from the training set)
     * @return (N, pixels + 1)
     */
    public static NDArray design(NDManager m, ImageSet set, float[] mean) {
        int d = set.imageBytes();
        float[] x = new float[set.size() * (d + 1)];
        for (int i = 0; i < set.size(); i++) {
            for (int j = 0; j < d; j++) {
                x[i * (d + 1) + j] = (set.pixels()[i * d + j] & 0xFF) / 255f - mean[j];
            }
            x[i * (d + 1) + d] = 1f;
        }
        return m.create(x, new Shape(set.size(), d + 1));
    }

    /**
     * Per-pixel means of x / 255.
     *
     * @param set the images
     * @return the means
     */
    public static float[] pixelMeans(ImageSet set) {
        int d = set.imageBytes();
        double[] sum = new double[d];
        for (int i = 0; i < set.size(); i++) {
            for (int j = 0; j < d; j++) {
                sum[j] += (set.pixels()[i * d + j] & 0xFF) / 255.0;
            }
        }
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (sum[j] / set.size());
        }
        return mean;
    }

    private static NDArray oneHot(NDManager m, ImageSet set) {
        float[] y = new float[set.size() * 10];
        for (int i = 0; i < set.size(); i++) {
            y[i * 10 + set.label(i)] = 1f;
        }
        return m.create(y, new Shape(set.size(), 10));
    }

    private static double accuracy(NDArray x, ImageSet set, NDArray w) {
        try (NDManager tmp = x.getManager().newSubManager()) {
            NDArray pred = x.matMul(w).argMax(1);
            pred.attach(tmp);
            long[] p = pred.toLongArray();
            int correct = 0;
            for (int i = 0; i < p.length; i++) {
                correct += p[i] == set.label(i) ? 1 : 0;
            }
            return correct / (double) p.length;
        }
    }

    private static double binaryAccuracy(NDArray x, NDArray y, NDArray w) {
        try (NDManager tmp = x.getManager().newSubManager()) {
            NDArray z = x.matMul(w);
            z.attach(tmp);
            float[] logits = z.toFloatArray();
            float[] labels = y.toFloatArray();
            int correct = 0;
            for (int i = 0; i < logits.length; i++) {
                correct += (logits[i] > 0) == (labels[i] > 0.5f) ? 1 : 0;
            }
            return correct / (double) logits.length;
        }
    }

    private static ImageSet digits(ImageSet set, int a, int b) {
        int[] idx =
                java.util.stream.IntStream.range(0, set.size())
                        .filter(i -> set.label(i) == a || set.label(i) == b)
                        .toArray();
        return set.select(idx);
    }

    private static NDArray isDigit(NDManager m, ImageSet set, int digit) {
        float[] y = new float[set.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = set.label(i) == digit ? 1f : 0f;
        }
        return m.create(y, new Shape(set.size(), 1));
    }

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(LabOption.MAX_BATCHES, LabOption.LIMIT);
    }

    @Override
    public String cpuOnlyBecause() {
        return "regression on a few thousand 784-pixel rows: each step is smaller than a GPU kernel launch is worth";
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        int steps = options.maxBatches() > 0 ? (int) Math.min(STEPS, options.maxBatches()) : STEPS;
        int sweepSteps = Math.min(SWEEP_STEPS, steps);
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.MNIST, log);
        ImageSet train = MnistIdx.load(folder, Split.TRAIN);
        ImageSet test = MnistIdx.load(folder, Split.TEST);
        train =
                train.shuffle(options.seed())
                        .limit(options.limit() != null ? options.limit() : DEFAULT_TRAIN);
        run.record()
                .config("steps", steps)
                .config("sweep_steps", sweepSteps)
                .config("train_examples", train.size())
                .config("lambda_logistic", LAMBDA);
        Map<String, Double> summary = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> sweepRows;
        try (NDManager m = NDManager.newBaseManager()) {
            float[] mean = pixelMeans(train);
            Data data =
                    new Data(m, train, test, mean, design(m, train, mean), design(m, test, mean));
            Part linear = linear(data, steps, runDir, log);
            rows.addAll(linear.rows());
            summary.putAll(linear.figures());
            double bound = linear.figures().get("linear_step_bound");
            Part sweep = sweep(data, bound, sweepSteps, runDir);
            sweepRows = sweep.rows();
            summary.putAll(sweep.figures());
            Part logistic = logistic(data, steps, runDir);
            rows.addAll(logistic.rows());
            summary.putAll(logistic.figures());
        }
        report(run, train.size(), rows, sweepRows);
        return new LabResult(runDir, List.of(), summary);
    }

    /**
     * What one part of the lab measured.
     *
     * @param rows its table
     * @param figures its entries of the summary
     */
    private record Part(List<List<String>> rows, Map<String, Double> figures) {}

    /** The images as design matrices (centred pixels and a bias column), made once. */
    private record Data(
            NDManager m, ImageSet train, ImageSet test, float[] mean, NDArray x, NDArray xTest) {}

    /** 1. Linear regression, three ways: the normal equations, a hand gradient, autograd. */
    private static Part linear(Data data, int steps, Path runDir, PrintStream log)
            throws java.io.IOException {
        NDManager m = data.m();
        ImageSet train = data.train();
        ImageSet test = data.test();
        NDArray x = data.x();
        NDArray xTest = data.xTest();
        NDArray y = oneHot(m, train);
        List<List<String>> rows = new ArrayList<>();
        Map<String, Double> summary = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        NDArray wClosed = Regression.linearClosedForm(x, y, 1.0);
        double closedSeconds = (System.nanoTime() - t0) / 1e9;
        float closedLoss = Regression.linearLoss(x, y, wClosed);
        double bound = Regression.linearStepBound(x, 100);
        float lr = (float) (0.9 * bound);
        if (log != null) {
            log.printf(
                    "Linear regression on %d images x %d features; stability bound 2/lambda_max = %.4f, using lr = %.4f%n",
                    train.size(), x.getShape().get(1), bound, lr);
        }
        NDArray wHand = m.zeros(wClosed.getShape());
        NDArray wAuto = m.zeros(wClosed.getShape());
        wAuto.setRequiresGradient(true);
        double[] handLoss = new double[steps];
        double[] autoLoss = new double[steps];
        t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            handLoss[s] = Regression.linearHandStep(x, y, wHand, lr);
        }
        double handSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            autoLoss[s] = Regression.linearAutogradStep(x, y, wAuto, lr);
        }
        double autoSeconds = (System.nanoTime() - t0) / 1e9;
        float handAutoDiff;
        try (NDManager tmp = m.newSubManager()) {
            NDArray diff = wHand.sub(wAuto).abs().max();
            diff.attach(tmp);
            handAutoDiff = diff.getFloat();
        }
        rows.add(
                List.of(
                        "linear",
                        "normal equations",
                        f("%.5f", closedLoss),
                        HtmlReport.pct(accuracy(xTest, test, wClosed)),
                        f("%.2f", closedSeconds)));
        rows.add(
                List.of(
                        "linear",
                        "GD, hand gradient, " + steps + " steps",
                        f("%.5f", Regression.linearLoss(x, y, wHand)),
                        HtmlReport.pct(accuracy(xTest, test, wHand)),
                        f("%.2f", handSeconds)));
        rows.add(
                List.of(
                        "linear",
                        "GD, autograd, " + steps + " steps",
                        f("%.5f", Regression.linearLoss(x, y, wAuto)),
                        HtmlReport.pct(accuracy(xTest, test, wAuto)),
                        f("%.2f", autoSeconds)));
        summary.put("linear_closed_loss", (double) closedLoss);
        summary.put("linear_hand_loss", (double) Regression.linearLoss(x, y, wHand));
        summary.put("linear_autograd_loss", (double) Regression.linearLoss(x, y, wAuto));
        summary.put("linear_hand_vs_autograd_max_weight_diff", (double) handAutoDiff);
        summary.put("linear_closed_test_accuracy", accuracy(xTest, test, wClosed));
        summary.put("linear_step_bound", bound);

        XYChart linear =
                Plots.chart(
                        "Linear regression: loss per step (lr = 0.9 x bound)",
                        "step",
                        "mean squared error");
        linear.getStyler().setYAxisLogarithmic(true);
        double[] xs = java.util.stream.IntStream.range(0, steps).asDoubleStream().toArray();
        linear.addSeries("GD, hand gradient", xs, handLoss).setMarker(SeriesMarkers.NONE);
        linear.addSeries("GD, autograd", xs, autoLoss).setMarker(SeriesMarkers.NONE);
        double[] closedLine = new double[steps];
        java.util.Arrays.fill(closedLine, closedLoss);
        linear.addSeries("normal equations", xs, closedLine).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(
                linear, runDir.resolve("linear.png").toString(), BitmapEncoder.BitmapFormat.PNG);

        return new Part(rows, summary);
    }

    /** 2. The learning-rate sweep around the stability bound 2/lambda_max. */
    private static Part sweep(Data data, double bound, int sweepSteps, Path runDir)
            throws java.io.IOException {
        NDManager m = data.m();
        NDArray x = data.x();
        NDArray y = oneHot(m, data.train());
        Shape weights = new Shape(x.getShape().get(1), y.getShape().get(1));
        Map<String, Double> summary = new LinkedHashMap<>();
        XYChart sweep =
                Plots.chart(
                        "Learning-rate sweep (fractions of 2/lambda_max = "
                                + f("%.4f", bound)
                                + ")",
                        "step",
                        "mean squared error");
        sweep.getStyler().setYAxisLogarithmic(true);
        List<List<String>> sweepRows = new ArrayList<>();
        for (double factor : SWEEP) {
            NDArray w = m.zeros(weights);
            List<Double> curve = new ArrayList<>();
            float rate = (float) (factor * bound);
            for (int s = 0; s < sweepSteps; s++) {
                double loss = Regression.linearHandStep(x, y, w, rate);
                if (!Double.isFinite(loss) || loss > 1e8) {
                    break; // diverged: the rest would be overflow
                }
                curve.add(loss);
            }
            w.close();
            double[] cx =
                    java.util.stream.IntStream.range(0, curve.size()).asDoubleStream().toArray();
            double[] cy = curve.stream().mapToDouble(Double::doubleValue).toArray();
            sweep.addSeries(f("lr = %.2f x bound", factor), cx, cy).setMarker(SeriesMarkers.NONE);
            boolean diverged = curve.size() < sweepSteps || cy[cy.length - 1] > cy[0];
            sweepRows.add(
                    List.of(
                            f("%.2f", factor),
                            f("%.4f", rate),
                            f("%.4g", cy[cy.length - 1]),
                            diverged ? "diverges" : "converges"));
            summary.put(f("sweep_%.2f_diverged", factor), diverged ? 1.0 : 0.0);
        }
        BitmapEncoder.saveBitmap(
                sweep, runDir.resolve("lr-sweep.png").toString(), BitmapEncoder.BitmapFormat.PNG);

        return new Part(sweepRows, summary);
    }

    /** 3. Logistic regression, 3 vs 8: Newton's method, a hand gradient, autograd. */
    private static Part logistic(Data data, int steps, Path runDir) throws java.io.IOException {
        NDManager m = data.m();
        float[] mean = data.mean();
        List<List<String>> rows = new ArrayList<>();
        Map<String, Double> summary = new LinkedHashMap<>();
        double[] xs = java.util.stream.IntStream.range(0, steps).asDoubleStream().toArray();
        ImageSet tr38 = digits(data.train(), 3, 8);
        ImageSet te38 = digits(data.test(), 3, 8);
        NDArray xb = design(m, tr38, mean);
        NDArray yb = isDigit(m, tr38, 8);
        NDArray xbTest = design(m, te38, mean);
        NDArray ybTest = isDigit(m, te38, 8);
        long t0 = System.nanoTime();
        NDArray wNewton = Regression.logisticNewton(xb, yb, LAMBDA, 8);
        double newtonSeconds = (System.nanoTime() - t0) / 1e9;
        float newtonLoss = Regression.logisticLoss(xb, yb, wNewton, LAMBDA);
        // the logistic Hessian is at most 1/8 of the linear one on the same inputs: 8x the
        // linear bound
        float logLr = (float) (0.9 * 8 * Regression.linearStepBound(xb, 100));
        NDArray vHand = m.zeros(new Shape(xb.getShape().get(1), 1));
        NDArray vAuto = m.zeros(new Shape(xb.getShape().get(1), 1));
        vAuto.setRequiresGradient(true);
        double[] logHand = new double[steps];
        double[] logAuto = new double[steps];
        for (int s = 0; s < steps; s++) {
            logHand[s] = Regression.logisticLoss(xb, yb, vHand, LAMBDA);
            Regression.logisticHandStep(xb, yb, vHand, LAMBDA, logLr);
            logAuto[s] = Regression.logisticLoss(xb, yb, vAuto, LAMBDA);
            Regression.logisticAutogradStep(xb, yb, vAuto, LAMBDA, logLr);
        }
        rows.add(
                List.of(
                        "logistic 3 vs 8",
                        "Newton, 8 iterations",
                        f("%.5f", newtonLoss),
                        HtmlReport.pct(binaryAccuracy(xbTest, ybTest, wNewton)),
                        f("%.2f", newtonSeconds)));
        rows.add(
                List.of(
                        "logistic 3 vs 8",
                        "GD, hand gradient, " + steps + " steps",
                        f("%.5f", Regression.logisticLoss(xb, yb, vHand, LAMBDA)),
                        HtmlReport.pct(binaryAccuracy(xbTest, ybTest, vHand)),
                        "-"));
        rows.add(
                List.of(
                        "logistic 3 vs 8",
                        "GD, autograd, " + steps + " steps",
                        f("%.5f", Regression.logisticLoss(xb, yb, vAuto, LAMBDA)),
                        HtmlReport.pct(binaryAccuracy(xbTest, ybTest, vAuto)),
                        "-"));
        summary.put("logistic_newton_loss", (double) newtonLoss);
        summary.put("logistic_hand_loss", (double) Regression.logisticLoss(xb, yb, vHand, LAMBDA));
        summary.put(
                "logistic_autograd_loss", (double) Regression.logisticLoss(xb, yb, vAuto, LAMBDA));
        summary.put("logistic_newton_test_accuracy", binaryAccuracy(xbTest, ybTest, wNewton));
        XYChart logistic =
                Plots.chart("Logistic regression, 3 vs 8: loss per step", "step", "BCE + L2");
        logistic.getStyler().setYAxisLogarithmic(true);
        logistic.addSeries("GD, hand gradient", xs, logHand).setMarker(SeriesMarkers.NONE);
        logistic.addSeries("GD, autograd", xs, logAuto).setMarker(SeriesMarkers.NONE);
        double[] newtonLine = new double[steps];
        java.util.Arrays.fill(newtonLine, newtonLoss);
        logistic.addSeries("Newton (minimum)", xs, newtonLine).setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(
                logistic,
                runDir.resolve("logistic.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);

        return new Part(rows, summary);
    }

    /** The record's tables and the report. */
    private static void report(
            LabRun run, int trainImages, List<List<String>> rows, List<List<String>> sweepRows)
            throws java.io.IOException {
        Path runDir = run.dir();
        PrintStream log = run.log();
        run.record().result("methods", rows).result("sweep", sweepRows);
        run.save();
        new HtmlReport("Week 2: gradient descent three ways")
                .paragraph(
                        f(
                                "MNIST, %d training images; pixels scaled to [0, 1] and centred; bias column of ones.",
                                trainImages))
                .table(
                        List.of("problem", "method", "training loss", "test accuracy", "seconds"),
                        rows)
                .image(
                        "Linear regression: gradient descent approaches the normal-equations minimum",
                        runDir.resolve("linear.png"))
                .image("Logistic regression (3 vs 8)", runDir.resolve("logistic.png"))
                .heading("Learning-rate sweep")
                .table(List.of("fraction of bound", "lr", "last loss", "outcome"), sweepRows)
                .image(
                        "Below 2/lambda_max the loss falls; above it, it explodes",
                        runDir.resolve("lr-sweep.png"))
                .write(runDir);
        if (log != null) {
            for (List<String> r : rows) {
                log.printf(
                        "%-16s %-32s loss %s  test acc. %s%n",
                        r.get(0), r.get(1), r.get(2), r.get(3));
            }
            for (List<String> r : sweepRows) {
                log.printf(
                        "sweep lr = %s x bound: last loss %s, %s%n", r.get(0), r.get(2), r.get(3));
            }
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
