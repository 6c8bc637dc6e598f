package org.dllab.labs.week13;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.dllab.models.SimpleCnn;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.Evaluation;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.ModelSize;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.run.Schedules;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Week 13: model compression by hand. The week-5 MNIST MLP and the week-6 CIFAR-10 CNN are trained,
 * then their weights are stored as fp16, int8 and int4 — per tensor or per channel, symmetric or
 * asymmetric ({@link Quantizer}) — and evaluated again (int storage, float compute); the int8 MLP
 * is saved and reloaded. Then two other ways to shrink the MLP: magnitude pruning, and knowledge
 * distillation into a network 7 times smaller.
 */
public final class QuantizationLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w13-quantization";

    /** MLP epochs (the week-5 lab's). */
    public static final int MLP_EPOCHS = 3;

    /**
     * CNN epochs on the CIFAR-10 subset (no augmentation: this lab is about compressing it, not
     * training it).
     */
    public static final int CNN_EPOCHS = 10;

    /**
     * Distillation temperature: softens the teacher enough that the wrong classes carry
     * information.
     */
    public static final float TEMPERATURE = 4f;

    /** Weight of the hard labels in the distillation loss. */
    public static final float ALPHA = 0.5f;

    /**
     * The student's hidden width: 784 -> 32 -> 10, 25,450 parameters against the teacher's 235,146.
     */
    public static final int STUDENT_HIDDEN = 32;

    private static final float[] CIFAR_MEAN = {0.4914f, 0.4822f, 0.4465f};
    private static final float[] CIFAR_STD = {0.2470f, 0.2435f, 0.2616f};

    /** The week-5 MLP's batch: the compressed models start from the network week 5 trains. */
    private static final int MLP_BATCH_SIZE = 64;

    /** The week-5 MLP's Adam rate, falling along a cosine. */
    private static final float MLP_LEARNING_RATE = 1e-3f;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 13;
    }

    @Override
    public String title() {
        return "Compression: fp16/int8/int4 quantisation by hand (per tensor/channel, (a)symmetric), pruning, distillation; a real MiniLM vs its"
                + " published int8 ONNX";
    }

    /** One row of a compression table. */
    private record Variant(String name, long bytes, double accuracy, double millisPer1000) {}

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(
                LabOption.EPOCHS,
                LabOption.MAX_BATCHES,
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
        RunRecord record =
                run.record()
                        .config("mlp_epochs", run.epochs(MLP_EPOCHS))
                        .config("cnn_epochs", run.epochs(CNN_EPOCHS))
                        .config("max_batches", options.maxBatches());
        Map<String, Double> summary = new LinkedHashMap<>();
        HtmlReport report = new HtmlReport("Week 13: compression");
        List<String> header =
                List.of(
                        "weights",
                        "weight bytes",
                        "smaller",
                        "test accuracy",
                        "change (points)",
                        "ms / 1,000 images");

        ImageData mnist = ImageData.mnist(options, log);
        ImageData cifar = ImageData.cifar10(options, log);
        SmallModels small =
                run.experiment(
                        "a-mlp-and-cnn", SmallModels.class, () -> smallModels(run, mnist, cifar));
        summary.putAll(small.figures());
        List<List<String>> mlpRows = small.mlpRows();
        List<List<String>> cnnRows = small.cnnRows();
        report.heading(
                        "MNIST MLP (week 5), "
                                + String.format(Locale.ROOT, "%,d", small.mlpParameters())
                                + " parameters")
                .table(header, mlpRows)
                .heading(
                        "CIFAR-10 CNN (week 6), "
                                + String.format(Locale.ROOT, "%,d", small.cnnParameters())
                                + " parameters, the course subset")
                .table(header, cnnRows)
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "The int8 per-channel symmetric MLP saved as %s: %,d bytes (the fp32 parameter file: %,d); "
                                        + "loaded into a fresh network it scores %s.",
                                small.int8File(),
                                small.int8Bytes(),
                                small.fp32Bytes(),
                                HtmlReport.pct(small.reloaded())))
                .heading(
                        "Magnitude pruning (MLP, smallest weights of all layers set to zero, biases kept)")
                .table(List.of("sparsity", "test accuracy"), small.pruneRows())
                .image("Accuracy against sparsity", runDir.resolve("pruning.png"))
                .heading(
                        "Knowledge distillation into 784-"
                                + STUDENT_HIDDEN
                                + "-10 (T = "
                                + TEMPERATURE
                                + ", alpha = "
                                + ALPHA
                                + ")")
                .table(List.of("network", "parameters", "test accuracy"), small.kdRows());
        // (6) a real pretrained encoder: fine-tuned fp32 vs int8/int4, and the published int8 model
        // in ONNX Runtime
        Encoder quantised =
                run.experiment(
                        "b-pretrained-encoder",
                        Encoder.class,
                        () -> {
                            Map<String, Double> figures = new LinkedHashMap<>();
                            return new Encoder(
                                    EncoderQuantization.run(options, runDir, figures, log),
                                    figures);
                        });
        summary.putAll(quantised.figures());
        EncoderQuantization.Tables encoder = quantised.tables();
        List<String> encoderHeader =
                List.of(
                        "weights",
                        "size",
                        "smaller",
                        "test accuracy",
                        "test macro-F1",
                        "macro-F1 change (points)",
                        "ms / batch of " + EncoderQuantization.TIMED_BATCH);
        report.heading(
                        "A real pretrained encoder: all-MiniLM-L6-v2 fine-tuned on 1,000 emotion tweets (week 11), its embeddings and 36 matrices quantised")
                .table(encoderHeader, EncoderQuantization.format(encoder.fineTuned()))
                .paragraph(
                        "dllab's int8 and int4 are widened back to float32 before PyTorch multiplies: they save storage, not time.")
                .heading(
                        "The published int8 model (ONNX Runtime's dynamic quantisation) against fp32 and dllab's int8, through a linear probe on the"
                                + " base encoder")
                .table(encoderHeader, EncoderQuantization.format(encoder.published()));
        if (!encoder.note().isEmpty()) {
            report.paragraph(encoder.note());
        }
        double wall = run.seconds();
        record.result("mlp", mlpRows)
                .result("cnn", cnnRows)
                .result("encoder_finetuned", EncoderQuantization.format(encoder.fineTuned()))
                .result("encoder_published", EncoderQuantization.format(encoder.published()));
        run.save();
        report.write(runDir);
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "Wall time %.0f s. Run folder: %s%n",
                    wall,
                    runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /**
     * What (1)-(5) measured on the two small models.
     *
     * @param mlpRows the MLP's quantisation table
     * @param cnnRows the CNN's
     * @param pruneRows accuracy per sparsity
     * @param kdRows distillation
     * @param mlpParameters the MLP's parameters
     * @param cnnParameters the CNN's
     * @param int8File the saved int8 MLP's file name
     * @param int8Bytes its size
     * @param fp32Bytes the fp32 parameter file's size
     * @param reloaded the reloaded int8 MLP's test accuracy
     * @param figures their entries of the summary
     */
    record SmallModels(
            List<List<String>> mlpRows,
            List<List<String>> cnnRows,
            List<List<String>> pruneRows,
            List<List<String>> kdRows,
            long mlpParameters,
            long cnnParameters,
            String int8File,
            long int8Bytes,
            long fp32Bytes,
            double reloaded,
            Map<String, Double> figures) {}

    /**
     * What (6) measured on the pretrained encoder.
     *
     * @param tables its two tables and a note
     * @param figures its entries of the summary
     */
    record Encoder(EncoderQuantization.Tables tables, Map<String, Double> figures) {}

    /**
     * (1)-(5): the MLP and the CNN trained here, quantised, saved and reloaded, pruned, distilled.
     */
    private static SmallModels smallModels(LabRun run, ImageData mnist, ImageData cifar)
            throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        Map<String, Double> summary = new LinkedHashMap<>();
        try (Model mlp = Model.newInstance("mlp", device);
                Model cnn = Model.newInstance("cnn", device);
                NDManager data = NDManager.newBaseManager(device)) {
            // (1) the two models, trained here
            mlp.setBlock(Mlp.mnist());
            cnn.setBlock(SimpleCnn.build());
            ArrayDataset mnistTest =
                    mnist.test().toDataset(data, 1000, false, MnistIdx.MEAN, MnistIdx.STD);
            ArrayDataset cifarTest =
                    cifar.test().toDataset(data, 1000, false, CIFAR_MEAN, CIFAR_STD);
            train(
                    mlp,
                    mnist.train()
                            .toDataset(data, MLP_BATCH_SIZE, true, MnistIdx.MEAN, MnistIdx.STD),
                    mnistTest,
                    new Shape(1, 1, 28, 28),
                    run.epochs(MLP_EPOCHS),
                    MLP_BATCH_SIZE,
                    options,
                    log,
                    "MLP");
            train(
                    cnn,
                    cifar.train().toDataset(data, 64, true, CIFAR_MEAN, CIFAR_STD),
                    cifarTest,
                    new Shape(1, 3, 32, 32),
                    run.epochs(CNN_EPOCHS),
                    64,
                    options,
                    log,
                    "CNN");

            // (2) quantisation tables
            List<List<String>> mlpRows =
                    rows(table(mlp, mnistTest, log, "MNIST MLP"), summary, "mlp");
            List<List<String>> cnnRows =
                    rows(table(cnn, cifarTest, log, "CIFAR-10 CNN"), summary, "cnn");

            // (3) save the int8 MLP, load it into a fresh model, compare
            Map<String, float[]> fp32 = Weights.snapshot(mlp.getBlock());
            Path file = runDir.resolve("mlp-int8.ndlist");
            QuantizedModels.save(
                    mlp.getBlock(),
                    Quantizer.Granularity.PER_CHANNEL,
                    Quantizer.Mode.SYMMETRIC,
                    8,
                    file);
            Path fp32Path = runDir.resolve("mlp-fp32.params");
            try (java.io.DataOutputStream os =
                    new java.io.DataOutputStream(Files.newOutputStream(fp32Path))) {
                mlp.getBlock().saveParameters(os); // DJL's own format, for the size comparison
            }
            double reloaded;
            try (Model fresh = Model.newInstance("mlp-reloaded", device)) {
                fresh.setBlock(Mlp.mnist());
                fresh.getBlock()
                        .initialize(
                                fresh.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
                QuantizedModels.load(fresh.getBlock(), file);
                reloaded = Evaluation.accuracy(fresh.getBlock(), mnistTest);
            }
            Weights.restore(mlp.getBlock(), fp32);
            long fp32File = Files.size(fp32Path);
            summary.put("mlp_int8_file_bytes", (double) Files.size(file));
            summary.put("mlp_fp32_file_bytes", (double) fp32File);
            summary.put("mlp_int8_reloaded_accuracy", reloaded);
            if (log != null) {
                log.printf(
                        Locale.ROOT,
                        "saved int8 MLP: %,d bytes (fp32 parameters file %,d); reloaded into a fresh model: %.2f %%%n",
                        Files.size(file),
                        fp32File,
                        100 * reloaded);
            }

            // (4) magnitude pruning of the MLP, no retraining
            XYChart pruning =
                    Plots.chart(
                            "MNIST MLP: accuracy after global magnitude pruning (no retraining)",
                            "weights set to zero (%)",
                            "test accuracy");
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<List<String>> pruneRows = new ArrayList<>();
            for (double sparsity : new double[] {0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98}) {
                Pruning.prune(mlp.getBlock(), sparsity);
                double a = Evaluation.accuracy(mlp.getBlock(), mnistTest);
                Weights.restore(mlp.getBlock(), fp32);
                xs.add(100 * sparsity);
                ys.add(a);
                pruneRows.add(
                        List.of(
                                String.format(Locale.ROOT, "%.0f %%", 100 * sparsity),
                                HtmlReport.pct(a)));
                summary.put(
                        String.format(
                                Locale.ROOT,
                                "mlp_pruned_%02d_accuracy",
                                Math.round(100 * sparsity)),
                        a);
            }
            pruning.addSeries("MLP", xs, ys);
            BitmapEncoder.saveBitmap(
                    pruning,
                    runDir.resolve("pruning.png").toString(),
                    BitmapEncoder.BitmapFormat.PNG);

            // (5) distillation: the same small network from the labels alone, and from the labels
            // and the teacher
            List<List<String>> kdRows = distill(mlp.getBlock(), mnist, run, device, log, summary);

            return new SmallModels(
                    mlpRows,
                    cnnRows,
                    pruneRows,
                    kdRows,
                    ModelSize.parameters(mlp.getBlock()),
                    ModelSize.parameters(cnn.getBlock()),
                    file.getFileName().toString(),
                    Files.size(file),
                    fp32File,
                    reloaded,
                    summary);
        }
    }

    private static void train(
            Model model,
            ArrayDataset train,
            ArrayDataset test,
            Shape input,
            int epochs,
            int batchSize,
            RunOptions options,
            PrintStream log,
            String name)
            throws Exception {
        // the week-5 recipe: Adam with cosine decay over all the steps (half a point over a fixed
        // rate there)
        long perEpoch = (train.size() + batchSize - 1) / batchSize;
        int steps =
                (int)
                        (epochs
                                * (options.maxBatches() > 0
                                        ? Math.min(perEpoch, options.maxBatches())
                                        : perEpoch));
        try (Trainer trainer =
                model.newTrainer(
                        ClassifierTraining.config(
                                Loss.softmaxCrossEntropyLoss(),
                                Optimizer.adam()
                                        .optLearningRateTracker(
                                                Schedules.cosine(MLP_LEARNING_RATE, steps))
                                        .build(),
                                model.getNDManager().getDevice()))) {
            trainer.initialize(input);
            if (log != null) {
                log.println("Training the " + name + " (" + epochs + " epochs)");
            }
            new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                    .fit(train, test, epochs, m -> {});
        }
    }

    /** Every storage format on one model; the model's fp32 weights are restored after each. */
    private static List<Variant> table(Model model, ArrayDataset test, PrintStream log, String name)
            throws Exception {
        Block block = model.getBlock();
        Map<String, float[]> fp32 = Weights.snapshot(block);
        long all = fp32.values().stream().mapToLong(v -> v.length).sum();
        List<Variant> out = new ArrayList<>();
        long t0 = System.nanoTime();
        double base = Evaluation.accuracy(block, test);
        double ms = (System.nanoTime() - t0) / 1e6 / test.size() * 1000;
        out.add(new Variant("fp32", 4 * all, base, ms));
        // fp16: the values a float16 can hold (DJL casts with rounding), computed in fp32
        Map<String, float[]> half = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (Map.Entry<String, float[]> e : fp32.entrySet()) {
                half.put(
                        e.getKey(),
                        m.create(e.getValue())
                                .toType(DataType.FLOAT16, false)
                                .toType(DataType.FLOAT32, false)
                                .toFloatArray());
            }
        }
        Weights.restore(block, half);
        out.add(new Variant("fp16", 2 * all, Evaluation.accuracy(block, test), Double.NaN));
        Weights.restore(block, fp32);
        for (int bits : new int[] {8, 4}) {
            for (Quantizer.Granularity g : Quantizer.Granularity.values()) {
                for (Quantizer.Mode mode : Quantizer.Mode.values()) {
                    long bytes = QuantizedModels.quantizeInPlace(block, g, mode, bits);
                    long t1 = System.nanoTime();
                    double a = Evaluation.accuracy(block, test);
                    double msq = (System.nanoTime() - t1) / 1e6 / test.size() * 1000;
                    out.add(
                            new Variant(
                                    "int"
                                            + bits
                                            + ", "
                                            + g.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                                            + ", "
                                            + mode.name().toLowerCase(Locale.ROOT),
                                    bytes,
                                    a,
                                    msq));
                    Weights.restore(block, fp32);
                }
            }
        }
        if (log != null) {
            for (Variant v : out) {
                log.printf(
                        Locale.ROOT,
                        "%s %-32s %,10d bytes  %.2f %%%n",
                        name,
                        v.name(),
                        v.bytes(),
                        100 * v.accuracy());
            }
        }
        return out;
    }

    private static List<List<String>> rows(
            List<Variant> variants, Map<String, Double> summary, String key) {
        List<List<String>> rows = new ArrayList<>();
        Variant fp32 = variants.get(0);
        for (Variant v : variants) {
            rows.add(
                    List.of(
                            v.name(),
                            String.format(Locale.ROOT, "%,d", v.bytes()),
                            String.format(Locale.ROOT, "%.2fx", fp32.bytes() / (double) v.bytes()),
                            HtmlReport.pct(v.accuracy()),
                            String.format(
                                    Locale.ROOT, "%+.2f", 100 * (v.accuracy() - fp32.accuracy())),
                            Double.isNaN(v.millisPer1000())
                                    ? ""
                                    : String.format(Locale.ROOT, "%.1f", v.millisPer1000())));
            String k = key + "_" + v.name().replace(", ", "_").replace(' ', '_');
            summary.put(k + "_accuracy", v.accuracy());
            summary.put(k + "_bytes", (double) v.bytes());
        }
        return rows;
    }

    private static List<List<String>> distill(
            Block teacher,
            ImageData mnist,
            LabRun run,
            Device device,
            PrintStream log,
            Map<String, Double> summary)
            throws Exception {
        List<List<String>> rows = new ArrayList<>();
        int epochs = run.epochs(MLP_EPOCHS);
        try (NDManager data = NDManager.newBaseManager(device)) {
            NDArray trainX = mnist.train().toArray(data, MnistIdx.MEAN, MnistIdx.STD);
            NDArray testX = mnist.test().toArray(data, MnistIdx.MEAN, MnistIdx.STD);
            NDArray trainY = mnist.train().labelArray(data);
            NDArray testY = mnist.test().labelArray(data);
            NDArray trainT = logits(teacher, trainX);
            NDArray testT = logits(teacher, testX);
            double teacherAccuracy = accuracyOf(testT, mnist.test());
            rows.add(
                    List.of(
                            "teacher: the MLP above",
                            String.format(Locale.ROOT, "%,d", ModelSize.parameters(teacher)),
                            HtmlReport.pct(teacherAccuracy)));
            for (boolean kd : new boolean[] {false, true}) {
                DjlRuntime.engine(
                        (int) run.seed()); // the same initial student and batch order for both
                ArrayDataset train =
                        new ArrayDataset.Builder()
                                .setData(trainX)
                                .optLabels(trainY, trainT)
                                .setSampling(MLP_BATCH_SIZE, true)
                                .build();
                ArrayDataset test =
                        new ArrayDataset.Builder()
                                .setData(testX)
                                .optLabels(testY, testT)
                                .setSampling(1000, false)
                                .build();
                Loss loss = kd ? new DistillationLoss(TEMPERATURE, ALPHA) : new HardLabelLoss();
                try (Model student = Model.newInstance("student", device)) {
                    student.setBlock(student());
                    try (Trainer trainer =
                            student.newTrainer(
                                    ClassifierTraining.config(
                                            loss,
                                            Optimizer.adam()
                                                    .optLearningRateTracker(Tracker.fixed(1e-3f))
                                                    .build(),
                                            device))) {
                        trainer.initialize(new Shape(1, 1, 28, 28));
                        if (log != null) {
                            log.println(
                                    "Student "
                                            + (kd ? "with distillation" : "from the labels alone"));
                        }
                        new ClassifierTraining(
                                        trainer, MLP_BATCH_SIZE, run.options().maxBatches(), log)
                                .fit(train, test, epochs, m -> {});
                    }
                    double a = Evaluation.accuracy(student.getBlock(), test);
                    rows.add(
                            List.of(
                                    kd
                                            ? "student, distilled from the teacher"
                                            : "student, labels only",
                                    String.format(
                                            Locale.ROOT,
                                            "%,d",
                                            ModelSize.parameters(student.getBlock())),
                                    HtmlReport.pct(a)));
                    summary.put(kd ? "student_distilled_accuracy" : "student_labels_accuracy", a);
                }
            }
            summary.put("teacher_accuracy", teacherAccuracy);
        }
        return rows;
    }

    /**
     * The distillation student: 784 -> {@link #STUDENT_HIDDEN} -> 10.
     *
     * @return the block
     */
    public static Block student() {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(STUDENT_HIDDEN).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    private static NDArray logits(Block teacher, NDArray x) {
        NDManager m = x.getManager();
        ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
        List<NDArray> parts = new ArrayList<>();
        for (long i = 0; i < x.getShape().get(0); i += 1000) {
            try (NDManager sub = m.newSubManager()) {
                NDArray slice = x.get(i + ":" + Math.min(i + 1000, x.getShape().get(0)));
                slice.attach(sub);
                NDArray out =
                        teacher.forward(ps, new NDList(slice), false)
                                .singletonOrThrow()
                                .duplicate();
                out.attach(m);
                parts.add(out);
            }
        }
        return ai.djl.ndarray.NDArrays.concat(new NDList(parts));
    }

    private static double accuracyOf(NDArray logits, ImageSet images) {
        long[] predicted = logits.argMax(1).toLongArray();
        long right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == images.label(i) ? 1 : 0;
        }
        return right / (double) predicted.length;
    }

    /**
     * Cross-entropy on the first label only (the student without a teacher, on the same two-label
     * dataset).
     */
    private static final class HardLabelLoss extends Loss {
        HardLabelLoss() {
            super("HardLabelLoss");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logP = predictions.singletonOrThrow().logSoftmax(1);
            return logP.mul(labels.get(0).oneHot(10).toType(logP.getDataType(), false))
                    .sum(new int[] {1})
                    .neg()
                    .mean();
        }
    }
}
