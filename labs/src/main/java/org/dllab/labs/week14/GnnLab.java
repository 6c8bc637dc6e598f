package org.dllab.labs.week14;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.CoraGraph;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.labs.Lab;
import org.dllab.run.EpochMetrics;
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
import org.knowm.xchart.XYSeries;

/**
 * Week 14 (extra): a graph convolutional network ({@link Gcn}) on the Cora citation graph, against
 * the same network without the graph (an MLP on the papers' words alone), over several seeded
 * Planetoid-style splits; the first layer's node embeddings projected to 2-D and coloured by class.
 */
public final class GnnLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w14-gnn";

    /** Full-batch epochs: the paper's 200. */
    public static final int EPOCHS = 200;

    /** Adam's learning rate: the paper's 0.01. */
    public static final float LEARNING_RATE = 0.01f;

    /** Splits (seeds) per model: enough for a mean and a spread. */
    public static final int SEEDS = 5;

    /**
     * Labelled training nodes per class, validation and test nodes: the Planetoid split's sizes.
     */
    public static final int PER_CLASS = 20;

    /** Validation nodes. */
    public static final int VALIDATION = 500;

    /** Test nodes. */
    public static final int TEST = 1000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 14;
    }

    @Override
    public String title() {
        return "graph neural network: a two-layer GCN on the Cora citation graph vs an MLP on the same features; node embeddings in 2-D";
    }

    /** One trained model: accuracies and its per-epoch curve. */
    record Outcome(
            double validation,
            double test,
            int bestEpoch,
            List<EpochMetrics> curve,
            float[] embedding2d) {}

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(
                LabOption.EPOCHS,
                LabOption.LEARNING_RATE,
                LabOption.LIMIT,
                LabOption.GPU,
                LabOption.RESUME);
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        int epochs = run.epochs(EPOCHS);
        float lr = run.learningRate(LEARNING_RATE);
        int seeds =
                options.limit() == null
                        ? SEEDS
                        : Math.max(1, options.limit()); // --limit N: N splits (smoke tests)
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.CORA, log);
        CoraGraph graph = CoraGraph.read(folder);
        if (log != null) {
            log.printf(
                    "Cora: %,d papers, %,d undirected citation edges, %,d word features, %d classes%n",
                    graph.nodes(),
                    graph.edges().length,
                    graph.featureCount(),
                    graph.classes().length);
        }
        RunRecord record =
                run.record()
                        .config("hidden", Gcn.HIDDEN)
                        .config("dropout", Gcn.DROPOUT)
                        .config("weight_decay", Gcn.WEIGHT_DECAY)
                        .config("seeds", seeds)
                        .config("split", PER_CLASS + " per class / " + VALIDATION + " / " + TEST);
        Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
        DjlRuntime.engine((int) options.seed());
        try (NDManager base = NDManager.newBaseManager(device)) {
            int n = graph.nodes();
            NDArray x =
                    base.create(graph.rowNormalizedFeatures(), new Shape(n, graph.featureCount()));
            NDArray adjacency =
                    base.create(CoraGraph.normalizedAdjacency(n, graph.edges()), new Shape(n, n));
            NDArray labels = base.create(graph.labels());
            for (String model : List.of("GCN", "MLP")) {
                List<Outcome> runs = new ArrayList<>();
                for (int s = 0; s < seeds; s++) {
                    long seed = options.seed() + s;
                    NDArray graphOrNot = model.equals("GCN") ? adjacency : null;
                    Outcome o =
                            run.experiment(
                                    model.toLowerCase(Locale.ROOT) + "-split-" + (s + 1),
                                    Outcome.class,
                                    () ->
                                            train(
                                                    base,
                                                    graphOrNot,
                                                    x,
                                                    labels,
                                                    graph.planetoidSplit(
                                                            PER_CLASS, VALIDATION, TEST, seed),
                                                    graph.classes().length,
                                                    epochs,
                                                    lr,
                                                    seed));
                    runs.add(o);
                    if (log != null) {
                        log.printf(
                                Locale.ROOT,
                                "  %s split %d (seed %d): validation %.1f %%, test %.1f %% (best validation at epoch %d)%n",
                                model,
                                s + 1,
                                seed,
                                100 * o.validation(),
                                100 * o.test(),
                                o.bestEpoch());
                    }
                }
                outcomes.put(model, runs);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        Map<String, Double> summary = new LinkedHashMap<>();
        for (Map.Entry<String, List<Outcome>> e : outcomes.entrySet()) {
            double[] test = e.getValue().stream().mapToDouble(Outcome::test).toArray();
            double mean = mean(test);
            double sd = sd(test);
            rows.add(
                    List.of(
                            e.getKey(),
                            String.format(Locale.ROOT, "%.1f ± %.1f %%", 100 * mean, 100 * sd),
                            String.format(
                                    Locale.ROOT,
                                    "%.1f %%",
                                    100
                                            * mean(
                                                    e.getValue().stream()
                                                            .mapToDouble(Outcome::validation)
                                                            .toArray())),
                            String.valueOf(test.length)));
            summary.put(e.getKey().toLowerCase(Locale.ROOT) + "_test_accuracy", mean);
            summary.put(e.getKey().toLowerCase(Locale.ROOT) + "_test_accuracy_sd", sd);
        }
        Outcome firstGcn = outcomes.get("GCN").get(0);
        Plots.learningCurves(
                firstGcn.curve(), "GCN on Cora (first split)", runDir.resolve("curves-gcn.png"));
        Plots.learningCurves(
                outcomes.get("MLP").get(0).curve(),
                "MLP on the same features (first split)",
                runDir.resolve("curves-mlp.png"));
        embeddingPlot(firstGcn.embedding2d(), graph, runDir.resolve("embeddings.png"));
        double wall = run.seconds();
        record.result("models", rows);
        firstGcn.curve().forEach(record::addEpoch);
        run.save();
        new HtmlReport("Week 14 (extra): a graph convolutional network on Cora")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Z = Â relu(Â X W1 + b1) W2 + b2 with Â = D^-1/2 (A + I) D^-1/2, %d hidden units, dropout %.1f, "
                                        + "weight decay %.0e on W1, Adam %s, %d full-batch epochs; test accuracy at the epoch of best validation accuracy, "
                                        + "over %d seeded splits of %d labelled papers per class, %d validation, %d test. The MLP is the same network "
                                        + "without Â: what the citations add. %.0f s in all.",
                                Gcn.HIDDEN,
                                Gcn.DROPOUT,
                                Gcn.WEIGHT_DECAY,
                                lr,
                                epochs,
                                seeds,
                                PER_CLASS,
                                VALIDATION,
                                TEST,
                                wall))
                .table(
                        List.of(
                                "model",
                                "test accuracy (mean ± sd)",
                                "validation accuracy (mean)",
                                "splits"),
                        rows)
                .image(
                        "GCN: loss and accuracy per epoch (first split; 'test' is the validation set here)",
                        runDir.resolve("curves-gcn.png"))
                .image(
                        "MLP: loss and accuracy per epoch (first split)",
                        runDir.resolve("curves-mlp.png"))
                .image(
                        "The GCN's 16-dimensional node embeddings (first layer, all 2,708 papers) projected on their two principal "
                                + "components, coloured by class",
                        runDir.resolve("embeddings.png"))
                .write(runDir);
        if (log != null) {
            rows.forEach(
                    r ->
                            log.printf(
                                    "  %-4s test %s over %s splits%n",
                                    r.get(0), r.get(1), r.get(3)));
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, firstGcn.curve(), summary);
    }

    /**
     * Trains one model full-batch on one split and keeps the test accuracy of the epoch with the
     * best validation accuracy (model selection on validation, never on test).
     */
    static Outcome train(
            NDManager base,
            NDArray adjacency,
            NDArray x,
            NDArray labels,
            CoraGraph.Split split,
            int classes,
            int epochs,
            float lr,
            long seed) {
        try (NDManager scope = base.newSubManager()) {
            Gcn net = new Gcn(scope, (int) x.getShape().get(1), classes, new Random(seed));
            Engine.getInstance().setRandomSeed((int) seed); // dropout masks
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
            NDArray train = scope.create(split.train());
            NDArray validation = scope.create(split.validation());
            NDArray test = scope.create(split.test());
            // each subset's labels once, in this run's manager (a get on the shared labels would
            // land in theirs)
            NDArray trainLabels = subset(labels, train, scope);
            NDArray validationLabels = subset(labels, validation, scope);
            NDArray testLabels = subset(labels, test, scope);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            List<EpochMetrics> curve = new ArrayList<>();
            double bestValidation = -1;
            double testAtBest = 0;
            int bestEpoch = 0;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                TrainingInterrupt.check(); // a signal stops the run here, between steps
                long t0 = System.nanoTime();
                double trainLoss;
                double trainAccuracy;
                try (NDManager step = scope.newSubManager()) {
                    x.tempAttach(step);
                    if (adjacency != null) {
                        adjacency.tempAttach(step);
                    }
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(adjacency, x, true).get(train);
                        NDArray l = loss.evaluate(new NDList(trainLabels), new NDList(logits));
                        gc.backward(l);
                        trainLoss = l.getFloat();
                        trainAccuracy = accuracy(logits, trainLabels);
                    }
                    List<NDArray> params = net.parameters();
                    for (int i = 0; i < params.size(); i++) {
                        try (NDArray g = params.get(i).getGradient().duplicate()) {
                            if (i == 0) {
                                net.addWeightDecay(g);
                            }
                            adam.update("p" + i, params.get(i), g);
                        }
                    }
                    NDArray logits = net.forward(adjacency, x, false);
                    double validationAccuracy = accuracy(logits.get(validation), validationLabels);
                    double validationLoss =
                            loss.evaluate(
                                            new NDList(validationLabels),
                                            new NDList(logits.get(validation)))
                                    .getFloat();
                    double testAccuracy = accuracy(logits.get(test), testLabels);
                    if (validationAccuracy > bestValidation) {
                        bestValidation = validationAccuracy;
                        testAtBest = testAccuracy;
                        bestEpoch = epoch;
                    }
                    curve.add(
                            new EpochMetrics(
                                    epoch,
                                    trainLoss,
                                    trainAccuracy,
                                    validationLoss,
                                    validationAccuracy,
                                    (System.nanoTime() - t0) / 1e9,
                                    0,
                                    0));
                }
            }
            float[] embedding2d;
            try (NDManager step = scope.newSubManager()) {
                x.tempAttach(step);
                if (adjacency != null) {
                    adjacency.tempAttach(step);
                }
                embedding2d = principalComponents(net.hidden(adjacency, x, false));
            }
            return new Outcome(bestValidation, testAtBest, bestEpoch, curve, embedding2d);
        }
    }

    private static NDArray subset(NDArray labels, NDArray nodes, NDManager into) {
        NDArray picked =
                labels.get(nodes)
                        .toType(ai.djl.ndarray.types.DataType.INT64, false); // argMax's type
        picked.attach(into);
        return picked;
    }

    private static double accuracy(NDArray logits, NDArray labels) {
        return logits.argMax(1)
                .eq(labels)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mean()
                .getFloat();
    }

    /**
     * Projects the rows of {@code h} (nodes x d) on their first two principal components: {@code
     * nodes * 2} values.
     */
    static float[] principalComponents(NDArray h) {
        NDArray centred = h.sub(h.mean(new int[] {0}));
        NDArray covariance = centred.transpose().matMul(centred);
        // the top two eigenvectors by power iteration with deflation: d is 16, a few hundred steps
        // are plenty
        int d = (int) h.getShape().get(1);
        double[] c =
                covariance.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[][] vectors = new double[2][];
        for (int k = 0; k < 2; k++) {
            double[] v = new double[d];
            java.util.Arrays.fill(v, 1 / Math.sqrt(d));
            v[k % d] += 0.5; // not orthogonal to the leading vector by accident
            for (int it = 0; it < 500; it++) {
                double[] w = new double[d];
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        w[i] += c[i * d + j] * v[j];
                    }
                }
                if (k == 1) { // deflate: remove the first component
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += w[i] * vectors[0][i];
                    }
                    for (int i = 0; i < d; i++) {
                        w[i] -= dot * vectors[0][i];
                    }
                }
                double norm = 0;
                for (double value : w) {
                    norm += value * value;
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < d; i++) {
                    v[i] = norm == 0 ? 0 : w[i] / norm;
                }
            }
            vectors[k] = v;
        }
        float[] rows = centred.toFloatArray();
        int n = (int) h.getShape().get(0);
        float[] out = new float[n * 2];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < 2; k++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += rows[r * d + i] * vectors[k][i];
                }
                out[r * 2 + k] = (float) s;
            }
        }
        return out;
    }

    private static void embeddingPlot(float[] xy, CoraGraph graph, Path file)
            throws java.io.IOException {
        XYChart chart =
                Plots.chart(
                        "GCN node embeddings (2 principal components)",
                        "component 1",
                        "component 2");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("#.#");
        for (int c = 0; c < graph.classes().length; c++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < graph.nodes(); i++) {
                if (graph.labels()[i] == c) {
                    xs.add((double) xy[2 * i]);
                    ys.add((double) xy[2 * i + 1]);
                }
            }
            chart.addSeries(graph.classes()[c].replace('_', ' '), xs, ys);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double sd(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
