package org.dllab.labs.week14;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.models.Mlp;
import org.dllab.run.Evaluation;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.MemoryProbe;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.TrainingInterrupt;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 14: training more efficiently, each technique measured on the MNIST MLP. (A) gradient
 * accumulation gives the large batch's result with the small batch's memory; (B) mixed precision,
 * fp16 compute with fp32 master weights and loss scaling (bf16 is refused on the CPU); (C)
 * learning-rate warm-up and cosine decay; (D) a checkpoint that includes the optimizer's state
 * resumes the run exactly, one of the weights alone does not; (E) data parallelism: the trainer of
 * (A) uses every device DJL sees.
 */
public final class EfficientTrainingLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w14-efficient-training";

    /** The large batch of (A). */
    public static final int LARGE_BATCH = 256;

    /** Micro-batches per large batch in (A). */
    public static final int ACCUMULATE = 4;

    /** Batch size of (B) to (D). */
    public static final int BATCH = 64;

    /** (C)'s peak learning rate: high enough that a cold start hurts. */
    public static final float PEAK_LR = 5e-3f;

    /** (C)'s warm-up steps. */
    public static final int WARMUP_STEPS = 300;

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
        return "Efficient training: gradient accumulation, mixed precision, warm-up + cosine, exact resume, data parallelism";
    }

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(
                LabOption.EPOCHS, LabOption.MAX_BATCHES, LabOption.LIMIT, LabOption.RESUME);
    }

    @Override
    public String cpuOnlyBecause() {
        return "it compares training tricks by their CPU time and memory, including a two-process data-parallel run";
    }

    /**
     * What one part of the lab measured.
     *
     * @param rows its table
     * @param figures its entries of the summary
     * @param series curves to plot, by name
     */
    record Part(
            List<List<String>> rows, Map<String, Double> figures, Map<String, double[]> series) {}

    /** The data of (B)-(D) as four arrays, made once. */
    private record MnistArrays(NDArray xTrain, NDArray yTrain, NDArray xTest, NDArray yTest) {}

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        long seed = options.seed();
        Path runDir = run.dir();
        int epochs = run.epochs(2);
        long maxBatches = options.maxBatches();
        run.record().config("max_batches", maxBatches);
        ImageData mnist = ImageData.mnist(options, log);
        ImageSet train =
                mnist.train()
                        .shuffle(seed); // one fixed order: both runs of (A) see the same examples
        ImageSet test = mnist.test();

        Part accumulation =
                run.experiment(
                        "a-accumulation",
                        Part.class,
                        () -> accumulation(train, test, epochs, seed, maxBatches, log));
        Part mixed;
        Part schedules;
        Part resume;
        // (B)-(D) on plain parameters, with the data as arrays
        try (NDManager m = NDManager.newBaseManager()) {
            MnistArrays data =
                    new MnistArrays(
                            train.toArray(m, MnistIdx.MEAN, MnistIdx.STD),
                            train.labelArray(m),
                            test.toArray(m, MnistIdx.MEAN, MnistIdx.STD),
                            test.labelArray(m));
            mixed =
                    run.experiment(
                            "b-mixed-precision",
                            Part.class,
                            () -> mixedPrecision(data, epochs, seed, maxBatches, log));
            schedules =
                    run.experiment(
                            "c-schedules",
                            Part.class,
                            () -> schedules(train, test, data, epochs, seed, maxBatches, log));
            resume =
                    run.experiment(
                            "d-resume",
                            Part.class,
                            () -> resume(data, runDir, epochs, seed, maxBatches, log));
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        for (Part part : List.of(accumulation, mixed, schedules, resume)) {
            summary.putAll(part.figures());
        }
        plotSchedules(schedules.series(), runDir.resolve("schedule.png"));
        double diff = accumulation.figures().get("accumulation_max_weight_difference");
        Device[] devices = Engine.getInstance().getDevices();
        HtmlReport report = new HtmlReport("Week 14: efficient training");
        report.heading(
                        "(A) Gradient accumulation: "
                                + ACCUMULATE
                                + " micro-batches of "
                                + LARGE_BATCH / ACCUMULATE
                                + " = one batch of "
                                + LARGE_BATCH)
                .table(
                        List.of(
                                "run",
                                "optimizer steps",
                                "test accuracy",
                                "samples/s",
                                "activations in flight (MB)"),
                        accumulation.rows())
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Largest difference between the two runs' final weights: %.3g (the same updates with the gradient "
                                        + "summed in another order; rounding differences grow over hundreds of Adam steps). Devices: %s — with several GPUs DJL splits every batch across them (data parallelism).",
                                diff,
                                Arrays.toString(devices)))
                .heading("(B) Mixed precision")
                .table(
                        List.of(
                                "compute",
                                "test accuracy",
                                "samples/s",
                                "skipped steps",
                                "final loss scale"),
                        mixed.rows())
                .heading("(C) Warm-up and cosine decay, Adam at peak " + PEAK_LR)
                .table(List.of("schedule", "test accuracy"), schedules.rows())
                .image("Schedule and loss", runDir.resolve("schedule.png"))
                .heading("(D) Checkpoint and resume")
                .table(
                        List.of(
                                "run",
                                "test accuracy",
                                "largest weight difference to uninterrupted"),
                        resume.rows());
        run.record()
                .result("accumulation", accumulation.rows())
                .result("mixed_precision", mixed.rows())
                .result("schedule", schedules.rows())
                .result("resume", resume.rows());
        double wall = run.seconds();
        run.save();
        report.write(runDir);
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "Wall time %.0f s, RSS %.0f MB. Run folder: %s%n",
                    wall,
                    MemoryProbe.residentMegabytes(),
                    runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /** The learning rates and smoothed losses of (C), side by side. */
    private static void plotSchedules(Map<String, double[]> series, Path png) throws Exception {
        XYChart lrChart = Plots.chart("Learning rate", "step", "learning rate");
        XYChart lossChart =
                Plots.chart(
                        "Training loss (mean of 50 steps), peak rate " + PEAK_LR,
                        "step",
                        "cross-entropy");
        lossChart.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            double[] x = new double[y.length];
            Arrays.setAll(x, i -> i + 1);
            boolean lr = e.getKey().startsWith("lr ");
            (lr ? lrChart : lossChart)
                    .addSeries(e.getKey().substring(lr ? 3 : 5), x, y)
                    .setMarker(SeriesMarkers.NONE);
        }
        try (var out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(
                    List.of(lrChart, lossChart), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /**
     * (A) Gradient accumulation through DJL's Trainer on all devices: one batch of {@link
     * #LARGE_BATCH} against {@link #ACCUMULATE} accumulated micro-batches.
     */
    private static Part accumulation(
            ImageSet train, ImageSet test, int epochs, long seed, long maxBatches, PrintStream log)
            throws Exception {
        Device[] devices = Engine.getInstance().getDevices();
        List<List<String>> accRows = new ArrayList<>();
        Map<String, Double> summary = new LinkedHashMap<>();
        Map<String, float[]> finalWeights = new LinkedHashMap<>();
        for (int micro : new int[] {LARGE_BATCH, LARGE_BATCH / ACCUMULATE}) {
            int k = LARGE_BATCH / micro;
            DjlRuntime.engine((int) seed);
            try (Model model = Model.newInstance("acc", devices[0]);
                    NDManager data = NDManager.newBaseManager()) {
                model.setBlock(Mlp.mnist());
                Optimizer adam =
                        Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(1e-3f))
                                .setRescaleGrad(1f / k)
                                .build();
                try (Trainer trainer =
                        model.newTrainer(
                                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                        .optOptimizer(adam)
                                        .optDevices(devices))) {
                    trainer.initialize(new Shape(1, 1, 28, 28));
                    // whole large batches only (234 x 256 = 59,904 images): a partial last batch
                    // would split differently
                    ImageSet whole = train.limit(train.size() / LARGE_BATCH * LARGE_BATCH);
                    ArrayDataset ds =
                            whole.toDataset(data, micro, false, MnistIdx.MEAN, MnistIdx.STD);
                    long t0 = System.nanoTime();
                    long n = 0;
                    long steps = 0;
                    for (int e = 0; e < epochs; e++) {
                        long b = 0;
                        for (Batch batch : trainer.iterateDataset(ds)) {
                            try (batch) {
                                EasyTrain.trainBatch(
                                        trainer,
                                        batch); // forward + backward: gradients add up until the
                                // step
                                n += batch.getSize();
                            }
                            if (++b % k == 0) {
                                trainer.step(); // DJL's optimizers zero the gradients after
                                // updating
                                TrainingInterrupt
                                        .check(); // a signal stops the run here, between steps
                                steps++;
                            }
                            if (maxBatches > 0 && b >= maxBatches * k) {
                                break;
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double acc =
                            Evaluation.accuracy(
                                    model.getBlock(),
                                    test.toDataset(data, 1000, false, MnistIdx.MEAN, MnistIdx.STD));
                    String name =
                            k == 1
                                    ? "batch " + LARGE_BATCH
                                    : "batch " + micro + " x " + k + " accumulated";
                    finalWeights.put(name, concat(model));
                    // what the backward pass keeps: every layer's input and output for the batch in
                    // flight, float32
                    long activationBytes = 4L * micro * Arrays.stream(PlainMlp.SIZES).sum();
                    accRows.add(
                            List.of(
                                    name,
                                    Long.toString(steps),
                                    HtmlReport.pct(acc),
                                    String.format(Locale.ROOT, "%.0f", n / seconds),
                                    String.format(Locale.ROOT, "%.2f", activationBytes / 1e6)));
                    summary.put(k == 1 ? "large_batch_accuracy" : "accumulated_accuracy", acc);
                    if (log != null) {
                        log.printf(
                                Locale.ROOT,
                                "(A) %s: %d optimizer steps, test accuracy %.2f %%, %.0f samples/s%n",
                                name,
                                steps,
                                100 * acc,
                                n / seconds);
                    }
                }
            }
        }
        float[] big = finalWeights.values().stream().findFirst().orElseThrow();
        float[] acc = finalWeights.values().stream().skip(1).findFirst().orElseThrow();
        double diff = maxDifference(big, acc);
        summary.put("accumulation_max_weight_difference", diff);
        summary.put("accumulation_max_weight_difference", diff);
        return new Part(accRows, summary, Map.of());
    }

    /** (B) Mixed precision: fp32, fp16 with fp32 master weights and loss scaling, bf16 refused. */
    private static Part mixedPrecision(
            MnistArrays arrays, int epochs, long seed, long maxBatches, PrintStream log)
            throws Exception {
        NDArray xTrain = arrays.xTrain();
        NDArray yTrain = arrays.yTrain();
        NDArray xTest = arrays.xTest();
        NDArray yTest = arrays.yTest();
        NDManager data = xTrain.getManager();
        Map<String, Double> summary = new LinkedHashMap<>();
        List<List<String>> mpRows = new ArrayList<>();
        for (DataType type :
                new DataType[] {DataType.FLOAT32, DataType.FLOAT16, DataType.BFLOAT16}) {
            String name =
                    type == DataType.FLOAT32
                            ? "fp32"
                            : type == DataType.FLOAT16
                                    ? "fp16 compute, fp32 master weights"
                                    : "bf16";
            try {
                MixedPrecision.check(type, Device.cpu());
            } catch (IllegalArgumentException refused) {
                mpRows.add(
                        List.of(name, "refused on the CPU: " + refused.getMessage(), "", "", ""));
                continue;
            }
            DjlRuntime.engine((int) seed);
            try (NDManager m = data.newSubManager()) {
                List<NDArray> params = PlainMlp.init(m);
                CheckpointableAdam adam = new CheckpointableAdam(1e-3f);
                MixedPrecision mp = new MixedPrecision();
                long t0 = System.nanoTime();
                long n = train(params, adam, mp, type, xTrain, yTrain, 0, epochs, seed, maxBatches);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double a = PlainMlp.accuracy(params, xTest, yTest);
                mpRows.add(
                        List.of(
                                name,
                                HtmlReport.pct(a),
                                String.format(Locale.ROOT, "%.0f", n / seconds),
                                Integer.toString(mp.skipped()),
                                String.format(Locale.ROOT, "%.0f", mp.scale())));
                summary.put(type == DataType.FLOAT32 ? "fp32_accuracy" : "fp16_accuracy", a);
                summary.put(
                        type == DataType.FLOAT32
                                ? "fp32_samples_per_second"
                                : "fp16_samples_per_second",
                        n / seconds);
                if (log != null) {
                    log.printf(
                            Locale.ROOT,
                            "(B) %s: test accuracy %.2f %%, %.0f samples/s, %d skipped steps%n",
                            name,
                            100 * a,
                            n / seconds,
                            mp.skipped());
                }
            }
        }
        return new Part(mpRows, summary, Map.of());
    }

    /** (C) Warm-up + cosine decay against a fixed rate at the same peak. */
    private static Part schedules(
            ImageSet train,
            ImageSet test,
            MnistArrays arrays,
            int epochs,
            long seed,
            long maxBatches,
            PrintStream log)
            throws Exception {
        NDArray xTrain = arrays.xTrain();
        NDManager data = xTrain.getManager();
        Map<String, Double> summary = new LinkedHashMap<>();
        Map<String, double[]> series = new LinkedHashMap<>();
        List<List<String>> lrRows = new ArrayList<>();
        int steps =
                (int)
                        Math.min(
                                epochs * (xTrain.getShape().get(0) / BATCH),
                                maxBatches > 0 ? maxBatches * epochs : Long.MAX_VALUE);
        int warmup = Math.min(WARMUP_STEPS, steps / 5);
        for (boolean warm : new boolean[] {false, true}) {
            Tracker tracker =
                    warm
                            ? WarmUpTracker.builder()
                                    .setMainTracker(
                                            CosineTracker.builder()
                                                    .setBaseValue(PEAK_LR)
                                                    .optFinalValue(0f)
                                                    .setMaxUpdates(Math.max(1, steps - warmup))
                                                    .build())
                                    .optWarmUpSteps(warmup)
                                    .optWarmUpBeginValue(0f)
                                    .build()
                            : Tracker.fixed(PEAK_LR);
            String name = warm ? "warm-up " + warmup + " steps + cosine" : "fixed";
            DjlRuntime.engine((int) seed);
            List<Double> losses = new ArrayList<>();
            double[] lrs = new double[steps];
            try (Model model = Model.newInstance("lr");
                    NDManager m = data.newSubManager()) {
                model.setBlock(Mlp.mnist());
                try (Trainer trainer =
                        model.newTrainer(
                                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                        .optOptimizer(
                                                Optimizer.adam()
                                                        .optLearningRateTracker(tracker)
                                                        .build()))) {
                    trainer.initialize(new Shape(1, 1, 28, 28));
                    ArrayDataset ds = train.toDataset(m, BATCH, false, MnistIdx.MEAN, MnistIdx.STD);
                    int s = 0;
                    while (s < steps) {
                        for (Batch batch : trainer.iterateDataset(ds)) {
                            try (batch;
                                    ai.djl.training.GradientCollector gc =
                                            trainer.newGradientCollector()) {
                                NDArray l =
                                        trainer.getLoss()
                                                .evaluate(
                                                        batch.getLabels(),
                                                        trainer.forward(batch.getData()));
                                gc.backward(l);
                                losses.add((double) l.getFloat());
                            }
                            trainer.step();
                            TrainingInterrupt.check(); // a signal stops the run here, between steps
                            lrs[s] = tracker.getNewValue(s + 1);
                            if (++s >= steps) {
                                break;
                            }
                        }
                    }
                }
                double a =
                        Evaluation.accuracy(
                                model.getBlock(),
                                test.toDataset(m, 1000, false, MnistIdx.MEAN, MnistIdx.STD));
                lrRows.add(List.of(name, HtmlReport.pct(a)));
                summary.put(warm ? "warmup_cosine_accuracy" : "fixed_lr_accuracy", a);
                if (log != null) {
                    log.printf(
                            Locale.ROOT,
                            "(C) %s at peak %.0e: test accuracy %.2f %%%n",
                            name,
                            PEAK_LR,
                            100 * a);
                }
            }
            series.put("lr " + name, lrs);
            series.put("loss " + name, smooth(losses, 50, steps));
        }
        return new Part(lrRows, summary, series);
    }

    /**
     * (D) Exact resume: stopped half-way and resumed with Adam's state it equals the uninterrupted
     * run; with the weights alone it does not.
     */
    private static Part resume(
            MnistArrays arrays,
            Path runDir,
            int epochs,
            long seed,
            long maxBatches,
            PrintStream log)
            throws Exception {
        NDArray xTrain = arrays.xTrain();
        NDArray yTrain = arrays.yTrain();
        NDArray xTest = arrays.xTest();
        NDArray yTest = arrays.yTest();
        NDManager data = xTrain.getManager();
        Map<String, Double> summary = new LinkedHashMap<>();
        List<List<String>> resumeRows = new ArrayList<>();
        int half = Math.max(1, epochs / 2);
        float[] uninterrupted;
        DjlRuntime.engine((int) seed);
        try (NDManager m = data.newSubManager()) {
            List<NDArray> params = PlainMlp.init(m);
            CheckpointableAdam adam = new CheckpointableAdam(1e-3f);
            train(
                    params,
                    adam,
                    new MixedPrecision(),
                    DataType.FLOAT32,
                    xTrain,
                    yTrain,
                    0,
                    2 * half,
                    seed,
                    maxBatches);
            uninterrupted = flatten(params);
            resumeRows.add(
                    List.of(
                            "uninterrupted, " + 2 * half + " epochs",
                            HtmlReport.pct(PlainMlp.accuracy(params, xTest, yTest)),
                            "—"));
        }
        Path checkpoint = runDir.resolve("checkpoint.bin");
        DjlRuntime.engine((int) seed);
        try (NDManager m = data.newSubManager()) {
            List<NDArray> params = PlainMlp.init(m);
            CheckpointableAdam adam = new CheckpointableAdam(1e-3f);
            train(
                    params,
                    adam,
                    new MixedPrecision(),
                    DataType.FLOAT32,
                    xTrain,
                    yTrain,
                    0,
                    half,
                    seed,
                    maxBatches);
            try (DataOutputStream os = new DataOutputStream(Files.newOutputStream(checkpoint))) {
                os.writeInt(half);
                for (NDArray p : params) {
                    CheckpointableAdam.writeArray(os, p);
                }
                adam.save(os);
            }
        }
        for (boolean withOptimizer : new boolean[] {true, false}) {
            try (NDManager m = data.newSubManager();
                    DataInputStream in = new DataInputStream(Files.newInputStream(checkpoint))) {
                int done = in.readInt();
                List<NDArray> params = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    NDArray p = CheckpointableAdam.readArray(in, m);
                    p.setRequiresGradient(true);
                    params.add(p);
                }
                CheckpointableAdam adam = new CheckpointableAdam(1e-3f);
                if (withOptimizer) {
                    adam.load(in, m);
                }
                train(
                        params,
                        adam,
                        new MixedPrecision(),
                        DataType.FLOAT32,
                        xTrain,
                        yTrain,
                        done,
                        2 * half,
                        seed,
                        maxBatches);
                double d = maxDifference(uninterrupted, flatten(params));
                resumeRows.add(
                        List.of(
                                withOptimizer
                                        ? "resumed after "
                                                + done
                                                + ": weights + Adam's moments and step count"
                                        : "resumed after " + done + ": weights only (fresh Adam)",
                                HtmlReport.pct(PlainMlp.accuracy(params, xTest, yTest)),
                                String.format(Locale.ROOT, "%.3g", d)));
                summary.put(
                        withOptimizer
                                ? "resume_full_max_difference"
                                : "resume_weights_only_max_difference",
                        d);
                if (log != null) {
                    log.printf(
                            Locale.ROOT,
                            "(D) resume %s: largest weight difference to the uninterrupted run %.3g%n",
                            withOptimizer ? "with the optimizer state" : "with the weights only",
                            d);
                }
            }
        }
        return new Part(resumeRows, summary, Map.of());
    }

    /**
     * Trains plain parameters from one epoch to another; epoch e visits the examples in a
     * permutation seeded by {@code seed + e}, so a resumed run sees what the uninterrupted one saw.
     */
    static long train(
            List<NDArray> params,
            CheckpointableAdam adam,
            MixedPrecision mp,
            DataType type,
            NDArray x,
            NDArray y,
            int fromEpoch,
            int toEpoch,
            long seed,
            long maxBatches) {
        int n = (int) x.getShape().get(0);
        long seen = 0;
        for (int e = fromEpoch; e < toEpoch; e++) {
            int[] order = ImageSet.permutation(n, seed + e);
            long b = 0;
            for (int i = 0; i + BATCH <= n; i += BATCH) {
                try (NDManager step = x.getManager().newSubManager()) {
                    long[] idx = new long[BATCH];
                    for (int j = 0; j < BATCH; j++) {
                        idx[j] = order[i + j];
                    }
                    NDArray index = step.create(idx);
                    NDArray xb = x.get(new NDIndex("{}", index));
                    NDArray yb = y.get(new NDIndex("{}", index));
                    xb.attach(step);
                    yb.attach(step);
                    mp.step(params, adam, xb, yb, type);
                    TrainingInterrupt.check(); // a signal stops the run here, between steps
                    seen += BATCH;
                }
                if (maxBatches > 0 && ++b >= maxBatches) {
                    break;
                }
            }
        }
        return seen;
    }

    private static float[] concat(Model model) {
        List<float[]> parts = new ArrayList<>();
        model.getBlock()
                .getParameters()
                .forEach(p -> parts.add(p.getValue().getArray().toFloatArray()));
        return join(parts);
    }

    private static float[] flatten(List<NDArray> params) {
        List<float[]> parts = new ArrayList<>();
        params.forEach(p -> parts.add(p.toFloatArray()));
        return join(parts);
    }

    private static float[] join(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int k = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, k, a.length);
            k += a.length;
        }
        return out;
    }

    static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    private static double[] smooth(List<Double> v, int window, int length) {
        double[] out = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double value = i < v.size() ? v.get(i) : v.get(v.size() - 1);
            sum += value;
            if (i >= window) {
                sum -= i - window < v.size() ? v.get(i - window) : v.get(v.size() - 1);
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
