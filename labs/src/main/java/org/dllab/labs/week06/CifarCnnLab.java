package org.dllab.labs.week06;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
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
import org.dllab.data.CifarBinary;
import org.dllab.data.ImageAugmentation;
import org.dllab.data.ImageSet;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.models.SimpleCnn;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.ModelSize;
import org.dllab.run.Pictures;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;

/**
 * Week 6: convolutional networks on CIFAR-10. Convolution arithmetic checked against DJL's {@code
 * Conv2d}; the course's {@link SimpleCnn} and a {@link SmallResNet} trained with
 * random-crop-and-flip augmentation; a confusion matrix, a grid of test images with predicted and
 * true labels, and the first layer's filters as pictures.
 */
public final class CifarCnnLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w06-cifar10-cnn";

    /** Epochs: on the 4,000-image subset test accuracy levels off around here. */
    public static final int EPOCHS = 20;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 6;
    }

    @Override
    public String title() {
        return "CNNs on CIFAR-10: conv arithmetic, SimpleCnn and a small ResNet, confusion matrix, filters (>= 50 % on the subset)";
    }

    /**
     * One case of the arithmetic table, checked by running DJL's Conv2d.
     *
     * @param in input size
     * @param kernel kernel
     * @param padding padding
     * @param stride stride
     * @param dilation dilation
     * @param formula the formula's answer
     * @param djl DJL's output size
     */
    public record ConvCase(
            int in, int kernel, int padding, int stride, int dilation, int formula, long djl) {}

    /**
     * The arithmetic table: the formula next to DJL's actual output size.
     *
     * @param m manager
     * @return the cases
     */
    public static List<ConvCase> convArithmetic(NDManager m) {
        int[][] cases = {
            {32, 3, 1, 1, 1},
            {32, 3, 0, 1, 1},
            {32, 5, 2, 1, 1},
            {32, 3, 1, 2, 1},
            {32, 2, 0, 2, 1},
            {28, 5, 0, 1, 1},
            {7, 3, 0, 2, 1},
            {32, 3, 2, 1, 2},
            {224, 7, 3, 2, 1},
            {13, 4, 1, 3, 1}
        };
        List<ConvCase> out = new ArrayList<>();
        for (int[] c : cases) {
            Block conv =
                    Conv2d.builder()
                            .setKernelShape(new Shape(c[1], c[1]))
                            .optPadding(new Shape(c[2], c[2]))
                            .optStride(new Shape(c[3], c[3]))
                            .optDilation(new Shape(c[4], c[4]))
                            .setFilters(1)
                            .build();
            try (NDManager s = m.newSubManager()) {
                conv.initialize(
                        s, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, c[0], c[0]));
                NDArray y =
                        conv.forward(
                                        new ParameterStore(s, false),
                                        new NDList(s.zeros(new Shape(1, 1, c[0], c[0]))),
                                        false)
                                .singletonOrThrow();
                out.add(
                        new ConvCase(
                                c[0],
                                c[1],
                                c[2],
                                c[3],
                                c[4],
                                ConvArithmetic.outputSize(c[0], c[1], c[2], c[3], c[4]),
                                y.getShape().get(2)));
            }
        }
        return out;
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.RESUME);
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        int epochs = run.epochs(EPOCHS);
        int batchSize = run.batchSize(64);
        float lr = run.learningRate(1e-3f);
        Map<String, Double> summary = new LinkedHashMap<>();
        RunRecord record =
                run.record()
                        .config("augmentation", "pad 4 + random crop, flip")
                        .config("max_batches", options.maxBatches());
        HtmlReport report = new HtmlReport("Week 6: CNNs on CIFAR-10");

        // 1. Convolution arithmetic
        List<List<String>> convRows = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (ConvCase c : convArithmetic(m)) {
                convRows.add(
                        List.of(
                                Integer.toString(c.in()),
                                Integer.toString(c.kernel()),
                                Integer.toString(c.padding()),
                                Integer.toString(c.stride()),
                                Integer.toString(c.dilation()),
                                Integer.toString(c.formula()),
                                Long.toString(c.djl())));
                if (log != null) {
                    log.printf(
                            "conv in %3d k %d p %d s %d d %d: formula %3d, DJL Conv2d %3d%n",
                            c.in(),
                            c.kernel(),
                            c.padding(),
                            c.stride(),
                            c.dilation(),
                            c.formula(),
                            c.djl());
                }
                summary.merge(
                        "conv_arithmetic_mismatches",
                        c.formula() == c.djl() ? 0.0 : 1.0,
                        Double::sum);
            }
        }
        report.heading(
                        "1. Output size = floor((n + 2p - d(k - 1) - 1) / s) + 1, checked against DJL's Conv2d")
                .table(List.of("n", "k", "p", "s", "d", "formula", "DJL"), convRows);

        // 2. Train the two networks
        ImageData images = ImageData.cifar10(options, log);
        Path folder = images.folder();
        ImageSet train = images.train();
        ImageSet test = images.test();
        if (log != null) {
            log.printf(
                    "CIFAR-10 from %s: %d train, %d test images%n",
                    folder, train.size(), test.size());
        }
        record.config("train_examples", train.size()).config("test_examples", test.size());
        Map<String, Supplier<Block>> models = new LinkedHashMap<>();
        models.put("SimpleCnn", SimpleCnn::build);
        models.put("SmallResNet", SmallResNet::build);
        List<List<String>> modelRows = new ArrayList<>();
        char letter = 'a';
        for (Map.Entry<String, Supplier<Block>> e : models.entrySet()) {
            String name = e.getKey();
            Trained trained =
                    run.experiment(
                            letter++ + "-" + name.toLowerCase(Locale.ROOT),
                            Trained.class,
                            () ->
                                    train(
                                            run,
                                            name,
                                            e.getValue(),
                                            train,
                                            test,
                                            epochs,
                                            batchSize,
                                            lr));
            modelRows.add(trained.row());
            summary.putAll(trained.figures());
        }
        report.heading(
                        "2. Two networks, "
                                + epochs
                                + " epochs, Adam "
                                + lr
                                + ", crop-and-flip augmentation")
                .table(
                        List.of(
                                "model",
                                "parameters",
                                "final test accuracy",
                                "best epoch",
                                "seconds"),
                        modelRows);
        for (String name : models.keySet()) {
            report.image(
                    name + ": loss and accuracy per epoch", runDir.resolve(name + "-curves.png"));
        }
        report.heading("3. What SimpleCnn does")
                .image("Confusion matrix on the test set", runDir.resolve("confusion.png"))
                .image(
                        "First 32 test images: predicted (true when wrong)",
                        runDir.resolve("predictions.png"))
                .image(
                        "The 32 filters of the first convolution (3x3, RGB)",
                        runDir.resolve("filters.png"));
        record.result("models", modelRows);
        run.save();
        report.write(runDir);
        if (log != null) {
            for (List<String> r : modelRows) {
                log.printf(
                        "%-12s %s parameters, test accuracy %s (best %s), %s s%n",
                        r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
            }
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /**
     * What training one network measured.
     *
     * @param row its line of the report's table
     * @param figures its entries of the summary
     */
    record Trained(List<String> row, Map<String, Double> figures) {}

    /**
     * Trains one network from the seed; its curves (and SimpleCnn's pictures) go to the run folder.
     */
    private static Trained train(
            LabRun run,
            String name,
            Supplier<Block> network,
            ImageSet train,
            ImageSet test,
            int epochs,
            int batchSize,
            float lr)
            throws Exception {
        RunOptions options = run.options();
        Device device = run.device();
        Path runDir = run.dir();
        PrintStream log = run.log();
        DjlRuntime.engine((int) options.seed());
        List<EpochMetrics> ms = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Model model = Model.newInstance(name, device)) {
            model.setBlock(network.get());
            DefaultTrainingConfig config =
                    ClassifierTraining.config(
                            Loss.softmaxCrossEntropyLoss(),
                            Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build(),
                            device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                long params = ModelSize.parameters(model.getBlock());
                if (log != null) {
                    log.printf("%s: %,d parameters%n", name, params);
                }
                ArrayDataset trainDs =
                        train.toDataset(
                                data,
                                batchSize,
                                true,
                                CifarBinary.MEAN,
                                CifarBinary.STD,
                                new ImageAugmentation(4, true, options.seed()));
                ArrayDataset testDs =
                        test.toDataset(data, batchSize, false, CifarBinary.MEAN, CifarBinary.STD);
                new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                        .resumable(run, model)
                        .fit(trainDs, testDs, epochs, ms::add);
                Plots.learningCurves(
                        ms, name + " on CIFAR-10", runDir.resolve(name + "-curves.png"));
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochMetrics last = ms.get(ms.size() - 1);
                List<String> row =
                        List.of(
                                name,
                                String.format(Locale.ROOT, "%,d", params),
                                HtmlReport.pct(last.testAccuracy()),
                                HtmlReport.pct(
                                        ms.stream()
                                                .mapToDouble(EpochMetrics::testAccuracy)
                                                .max()
                                                .orElse(0)),
                                String.format(Locale.ROOT, "%.0f", seconds));
                Map<String, Double> figures = new LinkedHashMap<>();
                figures.put(name + "_test_accuracy", last.testAccuracy());
                figures.put(name + "_parameters", (double) params);
                figures.put(name + "_seconds", seconds);
                run.record().result(name, ms);
                if (name.equals("SimpleCnn")) {
                    pictures(trainer, model.getBlock(), testDs, test, runDir);
                }
                return new Trained(row, figures);
            }
        }
    }

    /** Confusion matrix, labelled predictions and first-layer filters of a trained network. */
    private static void pictures(
            Trainer trainer, Block block, ArrayDataset testDs, ImageSet test, Path runDir)
            throws Exception {
        int[][] confusion = new int[10][10];
        int[] predicted = new int[test.size()];
        int at = 0;
        try (NDManager pass = trainer.getManager().newSubManager()) {
            for (Batch b : testDs.getData(pass)) {
                try (b) {
                    long[] p =
                            trainer.evaluate(b.getData())
                                    .singletonOrThrow()
                                    .argMax(1)
                                    .toLongArray();
                    for (long v : p) {
                        predicted[at] = (int) v;
                        confusion[test.label(at)][(int) v]++;
                        at++;
                    }
                }
            }
        }
        Pictures.confusionMatrix(
                confusion,
                test.classNames(),
                "SimpleCnn on the CIFAR-10 test images",
                runDir.resolve("confusion.png"));
        int shown = Math.min(32, at);
        int[] first = java.util.Arrays.copyOf(predicted, shown);
        Pictures.labelledGrid(
                test.limit(shown),
                first,
                8,
                3,
                "Predicted class (true class when wrong)",
                runDir.resolve("predictions.png"));
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getArray().getShape().dimension()
                    == 4) { // the first convolution's weight (32, 3, 3, 3)
                Shape s = p.getValue().getArray().getShape();
                Pictures.filters(
                        p.getValue().getArray().toFloatArray(),
                        (int) s.get(0),
                        (int) s.get(1),
                        (int) s.get(2),
                        "First-layer filters",
                        runDir.resolve("filters.png"));
                break;
            }
        }
    }
}
