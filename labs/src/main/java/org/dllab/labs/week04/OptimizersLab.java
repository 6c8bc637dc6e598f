package org.dllab.labs.week04;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.dllab.core.DjlRuntime;
import org.dllab.data.ImageSet;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.models.Mlp;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.LandscapePlot;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.run.TrainingInterrupt;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 4: SGD, momentum, RMSProp and Adam, each written from scratch ({@link ScratchSgd} ...),
 * raced (a) down the Rosenbrock valley, drawn on its contour map, and (b) on the week-5 MNIST MLP
 * from the same initial weights, as loss curves.
 */
public final class OptimizersLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w04-optimizers";

    /**
     * Steps on Rosenbrock: enough for Adam and momentum to reach the minimum, and to show SGD
     * crawling.
     */
    public static final int ROSENBROCK_STEPS = 3000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean smallOperations() {
        return true; // MLPs at batch 64: 15.1-15.7 s -> 13.3-13.4 s on one thread
        // (docs/benchmarks.md, "Threads")
    }

    @Override
    public int week() {
        return 4;
    }

    @Override
    public String title() {
        return "SGD, momentum, RMSProp, Adam from scratch: Rosenbrock paths and MNIST loss curves";
    }

    /**
     * The optimizers for the Rosenbrock race. Step sizes: each about as large as stays stable on
     * this valley.
     *
     * @return name to factory
     */
    public static Map<String, Supplier<ScratchOptimizer>> forRosenbrock() {
        Map<String, Supplier<ScratchOptimizer>> m = new LinkedHashMap<>();
        m.put("SGD lr=1e-3", () -> new ScratchSgd(1e-3f));
        m.put("Momentum lr=1e-3 mu=0.9", () -> new ScratchMomentum(1e-3f, 0.9f));
        m.put("RMSProp lr=1e-2", () -> new ScratchRmsProp(1e-2f, 0.9f, 1e-8f));
        m.put("Adam lr=2e-2", () -> new ScratchAdam(2e-2f, 0.9f, 0.999f, 1e-8f));
        return m;
    }

    /**
     * The optimizers for MNIST, each with its customary learning rate for this MLP.
     *
     * @param lr if non-null, one learning rate for all (the --lr option)
     * @return name to factory
     */
    public static Map<String, Supplier<ScratchOptimizer>> forMnist(Float lr) {
        Map<String, Supplier<ScratchOptimizer>> m = new LinkedHashMap<>();
        m.put("SGD", () -> new ScratchSgd(lr != null ? lr : 0.05f));
        m.put("Momentum", () -> new ScratchMomentum(lr != null ? lr : 0.01f, 0.9f));
        m.put("RMSProp", () -> new ScratchRmsProp(lr != null ? lr : 1e-3f, 0.9f, 1e-8f));
        m.put("Adam", () -> new ScratchAdam(lr != null ? lr : 1e-3f, 0.9f, 0.999f, 1e-8f));
        return m;
    }

    /**
     * Runs an optimizer on Rosenbrock through DJL's autograd.
     *
     * @param opt the optimizer
     * @param steps how many steps
     * @return the path, start included
     */
    public static List<double[]> rosenbrockPath(ScratchOptimizer opt, int steps) {
        List<double[]> path = new ArrayList<>(steps + 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p =
                    manager.create(
                            new float[] {(float) Rosenbrock.START[0], (float) Rosenbrock.START[1]});
            p.setRequiresGradient(true);
            path.add(new double[] {Rosenbrock.START[0], Rosenbrock.START[1]});
            for (int i = 0; i < steps; i++) {
                try (NDManager step = manager.newSubManager()) {
                    p.tempAttach(step);
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        gc.backward(Rosenbrock.value(p));
                    }
                    opt.update("p", p, p.getGradient());
                    TrainingInterrupt.check(); // a signal stops the run here, between steps
                    p.attach(manager);
                }
                float[] xy = p.toFloatArray();
                if (!Float.isFinite(xy[0]) || !Float.isFinite(xy[1])) {
                    break; // diverged: the path ends where it left the map
                }
                path.add(new double[] {xy[0], xy[1]});
            }
        }
        return path;
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
        RunRecord record =
                run.record()
                        .config("rosenbrock_steps", ROSENBROCK_STEPS)
                        .config("max_batches", options.maxBatches());
        Map<String, Double> summary = new LinkedHashMap<>();

        // (a) Rosenbrock
        Map<String, List<double[]>> paths = new LinkedHashMap<>();
        List<List<String>> rosenRows = new ArrayList<>();
        for (Map.Entry<String, Supplier<ScratchOptimizer>> e : forRosenbrock().entrySet()) {
            List<double[]> path = rosenbrockPath(e.getValue().get(), ROSENBROCK_STEPS);
            paths.put(e.getKey(), path);
            double[] end = path.get(path.size() - 1);
            double dist = Math.hypot(end[0] - 1, end[1] - 1);
            rosenRows.add(
                    List.of(
                            e.getKey(),
                            fmt("(%.4f, %.4f)", end[0], end[1]),
                            fmt("%.2e", Rosenbrock.value(end[0], end[1])),
                            fmt("%.4f", dist)));
            summary.put(
                    "rosenbrock_distance_" + e.getKey().split(" ")[0].toLowerCase(Locale.ROOT),
                    dist);
            if (log != null) {
                log.printf(
                        "Rosenbrock %-26s end (%.4f, %.4f), f = %.2e, distance to (1,1) %.4f%n",
                        e.getKey(), end[0], end[1], Rosenbrock.value(end[0], end[1]), dist);
            }
        }
        record.result("rosenbrock", rosenRows);
        LandscapePlot.write(
                Rosenbrock::value,
                -2,
                2,
                -1,
                3,
                paths,
                new double[] {1, 1},
                "Rosenbrock: " + ROSENBROCK_STEPS + " steps from (-1.2, 1); minimum * at (1, 1)",
                runDir.resolve("rosenbrock.png"));

        // (b) MNIST
        ImageData images = ImageData.mnist(options, log);
        ImageSet train = images.train();
        ImageSet test = images.test();
        XYChart chart =
                Plots.chart(
                        "MNIST MLP: training loss (mean of 50 batches)", "batch", "cross-entropy");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        List<List<String>> mnistRows = new ArrayList<>();
        Float lr = run.learningRate(-1f) > 0 ? run.learningRate(-1f) : null;
        for (Map.Entry<String, Supplier<ScratchOptimizer>> e : forMnist(lr).entrySet()) {
            DjlRuntime.engine(
                    (int) options.seed()); // same initial weights and batch order for every
            // optimizer
            List<Double> losses = new ArrayList<>();
            List<EpochMetrics> ms = new ArrayList<>();
            try (Model model = Model.newInstance(ID, device)) {
                model.setBlock(Mlp.mnist());
                DefaultTrainingConfig config =
                        ClassifierTraining.config(
                                Loss.softmaxCrossEntropyLoss(), e.getValue().get(), device);
                try (Trainer trainer = model.newTrainer(config);
                        NDManager data = model.getNDManager().newSubManager()) {
                    trainer.initialize(new Shape(1, 1, 28, 28));
                    if (log != null) {
                        log.println("MNIST with " + e.getKey());
                    }
                    new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                            .onTrainingBatch(losses::add)
                            .fit(
                                    train.toDataset(
                                            data,
                                            batchSize,
                                            true,
                                            new float[] {0.1307f},
                                            new float[] {0.3081f}),
                                    test.toDataset(
                                            data,
                                            batchSize,
                                            false,
                                            new float[] {0.1307f},
                                            new float[] {0.3081f}),
                                    epochs,
                                    ms::add);
                }
            }
            double[][] curve = smooth(losses, 50);
            chart.addSeries(e.getKey(), curve[0], curve[1]).setMarker(SeriesMarkers.NONE);
            EpochMetrics last = ms.get(ms.size() - 1);
            mnistRows.add(
                    List.of(
                            e.getKey(),
                            fmt("%.4f", losses.get(0)),
                            fmt("%.4f", last.trainLoss()),
                            HtmlReport.pct(last.testAccuracy())));
            summary.put(
                    "mnist_test_accuracy_" + e.getKey().toLowerCase(Locale.ROOT),
                    last.testAccuracy());
            summary.put("mnist_first_loss_" + e.getKey().toLowerCase(Locale.ROOT), losses.get(0));
            summary.put("mnist_last_loss_" + e.getKey().toLowerCase(Locale.ROOT), last.trainLoss());
        }
        BitmapEncoder.saveBitmap(
                chart, runDir.resolve("mnist-loss.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        record.result("mnist", mnistRows);
        run.save();
        new HtmlReport("Week 4: optimizers from scratch")
                .heading("(a) Rosenbrock valley")
                .table(List.of("optimizer", "end point", "f(end)", "distance to (1, 1)"), rosenRows)
                .image(
                        "Paths of " + ROSENBROCK_STEPS + " steps on log(1 + f)",
                        runDir.resolve("rosenbrock.png"))
                .heading("(b) MNIST MLP, same initial weights")
                .table(
                        List.of(
                                "optimizer",
                                "first batch loss",
                                "mean train loss, last epoch",
                                "test accuracy"),
                        mnistRows)
                .image("Training loss", runDir.resolve("mnist-loss.png"))
                .write(runDir);
        if (log != null) {
            for (List<String> r : mnistRows) {
                log.printf(
                        "MNIST %-9s first loss %s, last-epoch loss %s, test accuracy %s%n",
                        r.get(0), r.get(1), r.get(2), r.get(3));
            }
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    private static double[][] smooth(List<Double> values, int window) {
        int n = values.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values.get(i);
            if (i >= window) {
                sum -= values.get(i - window);
            }
            x[i] = i + 1;
            y[i] = sum / Math.min(i + 1, window);
        }
        return new double[][] {x, y};
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
