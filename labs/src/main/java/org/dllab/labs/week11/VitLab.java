package org.dllab.labs.week11;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.dllab.core.DjlRuntime;
import org.dllab.data.CifarBinary;
import org.dllab.data.ImageAugmentation;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
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
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.run.Schedules;

/**
 * Week 11: a Vision Transformer from scratch ({@link VisionTransformer}) on MNIST (7x7 patches) and
 * on the CIFAR-10 subset (4x4 patches, crop-and-flip augmentation); the class token's attention
 * over the patches of a few test digits; parameters and accuracy beside the week-6 CNN.
 */
public final class VitLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w11-vit";

    /** MNIST epochs: the course's target is 97 % within 10. */
    public static final int MNIST_EPOCHS = 10;

    /** CIFAR-10 epochs: as many as the week-6 CNN had, for a fair comparison. */
    public static final int CIFAR_EPOCHS = 20;

    /** E: four heads of 16. */
    public static final int EMBED = 64;

    /** Attention heads. */
    public static final int HEADS = 4;

    /** Encoder layers. */
    public static final int LAYERS = 3;

    /**
     * The week-6 lab whose run folder (beside this one) gives the CNN's CIFAR-10 figure to compare
     * with.
     */
    private static final String WEEK6_LAB = "w06-cifar10-cnn";

    /** Images per step: 470 steps an MNIST epoch, twice 256's, at about the same 20 s an epoch. */
    static final int BATCH_SIZE = 128;

    /**
     * AdamW's peak rate: with the smaller initial weights, element-wise clipping at 1 keeps it
     * stable.
     */
    static final float LEARNING_RATE = 2e-3f;

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
        return "Vision Transformer from scratch on MNIST and CIFAR-10; class-token attention maps; vs the week-6 CNN";
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
        int batchSize = run.batchSize(BATCH_SIZE);
        float lr = run.learningRate(LEARNING_RATE);
        Map<String, Double> summary = new LinkedHashMap<>();
        RunRecord record =
                run.record().config("embed", EMBED).config("heads", HEADS).config("layers", LAYERS);
        ImageData mnist = ImageData.mnist(options, log);
        int mnistEpochs = run.epochs(MNIST_EPOCHS);
        Trained onMnist =
                run.experiment(
                        "a-mnist",
                        Trained.class,
                        () ->
                                train(
                                        run,
                                        "MNIST",
                                        mnist.train(),
                                        mnist.test(),
                                        7,
                                        mnistEpochs,
                                        MnistIdx.MEAN,
                                        MnistIdx.STD,
                                        null,
                                        batchSize,
                                        lr));
        attentionMaps(mnist.test(), onMnist.maps(), runDir.resolve("attention-mnist.png"));

        ImageData cifar = ImageData.cifar10(options, log);
        int cifarEpochs = run.epochs(CIFAR_EPOCHS);
        Trained onCifar =
                run.experiment(
                        "b-cifar10",
                        Trained.class,
                        () ->
                                train(
                                        run,
                                        "CIFAR-10",
                                        cifar.train(),
                                        cifar.test(),
                                        4,
                                        cifarEpochs,
                                        CifarBinary.MEAN,
                                        CifarBinary.STD,
                                        new ImageAugmentation(4, true, options.seed()),
                                        batchSize,
                                        lr));
        List<List<String>> rows = new ArrayList<>();
        List<EpochMetrics> all = new ArrayList<>();
        for (Trained t : List.of(onMnist, onCifar)) {
            rows.add(t.row());
            summary.putAll(t.figures());
            all.addAll(t.epochs());
        }
        long cnnParams = simpleCnnParameters();
        rows.add(
                List.of(
                        "SimpleCnn (week 6), CIFAR-10",
                        String.format(Locale.ROOT, "%,d", cnnParams),
                        week6Accuracy(runDir.getParent().resolve(WEEK6_LAB).resolve("run.json")),
                        "-",
                        "-"));
        summary.put("simple_cnn_parameters", (double) cnnParams);

        double wall = run.seconds();
        record.result("models", rows);
        run.save();
        new HtmlReport("Week 11: a Vision Transformer from scratch")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Patches -> linear embedding -> class token + learned positions -> %d pre-LN encoder"
                                        + " layers (%d heads, E = %d) -> the class token -> logits. Adam %s, batch %d; %.0f s in all.",
                                LAYERS,
                                HEADS,
                                EMBED,
                                lr,
                                batchSize,
                                wall))
                .table(
                        List.of(
                                "model, data",
                                "parameters",
                                "final test accuracy",
                                "best epoch",
                                "seconds"),
                        rows)
                .image("MNIST: loss and accuracy per epoch", runDir.resolve("MNIST-curves.png"))
                .image(
                        "CIFAR-10: loss and accuracy per epoch",
                        runDir.resolve("CIFAR-10-curves.png"))
                .image(
                        "Where the class token looks (last layer, heads averaged): test digits and their 4x4 grid of patch attention",
                        runDir.resolve("attention-mnist.png"))
                .write(runDir);
        if (log != null) {
            rows.forEach(
                    r ->
                            log.printf(
                                    "  %-34s %10s parameters  test %s%n",
                                    r.get(0), r.get(1), r.get(2)));
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, all, summary);
    }

    /**
     * What training one ViT measured.
     *
     * @param row its line of the report's table
     * @param figures its entries of the summary
     * @param epochs its epochs
     * @param maps the class token's attention over the patches for the first 8 test images
     */
    record Trained(
            List<String> row,
            Map<String, Double> figures,
            List<EpochMetrics> epochs,
            float[][] maps) {}

    /** Trains one ViT from the seed; its curves go to the run folder. */
    private static Trained train(
            LabRun run,
            String name,
            ImageSet train,
            ImageSet test,
            int patch,
            int epochs,
            float[] mean,
            float[] std,
            ImageAugmentation augmentation,
            int batchSize,
            float lr)
            throws Exception {
        RunOptions options = run.options();
        Device device = run.device();
        PrintStream log = run.log();
        Path runDir = run.dir();
        DjlRuntime.engine((int) options.seed());
        List<EpochMetrics> ms = new ArrayList<>();
        long t0 = System.nanoTime();
        float[][] maps = new float[8][];
        long params;
        try (Model model = Model.newInstance(ID + "-" + name, device)) {
            VisionTransformer vit =
                    new VisionTransformer(
                            train.channels(),
                            train.height(),
                            patch,
                            EMBED,
                            HEADS,
                            LAYERS,
                            train.classNames().size());
            model.setBlock(vit);
            long steps = (long) epochs * ((train.size() + batchSize - 1) / batchSize);
            if (options.maxBatches() > 0) {
                steps = (long) epochs * options.maxBatches();
            }
            DefaultTrainingConfig config =
                    ClassifierTraining.config(
                            Loss.softmaxCrossEntropyLoss(),
                            Optimizer.adamW()
                                    .optLearningRateTracker(Schedules.cosine(lr, (int) steps))
                                    .optWeightDecays(0.05f)
                                    .optClipGrad(1f)
                                    .build(),
                            device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, train.channels(), train.height(), train.width()));
                params = ModelSize.parameters(vit);
                if (log != null) {
                    log.printf(
                            "%s ViT: %dx%d patches (%d), %,d parameters, %d epochs%n",
                            name, patch, patch, vit.patches(), params, epochs);
                }
                ArrayDataset trainDs =
                        augmentation == null
                                ? train.toDataset(data, batchSize, true, mean, std)
                                : train.toDataset(data, batchSize, true, mean, std, augmentation);
                ArrayDataset testDs = test.toDataset(data, batchSize, false, mean, std);
                new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                        .fit(trainDs, testDs, epochs, ms::add);
                try (NDManager s = data.newSubManager()) {
                    ArrayDataset first = test.limit(8).toDataset(s, 8, false, mean, std);
                    try (Batch b = first.getData(s).iterator().next()) {
                        vit.forward(new ParameterStore(s, false), b.getData(), false);
                        NDArray clsRow =
                                vit.lastAttention().mean(new int[] {1}).get(":, 0, 1:"); // (8, P)
                        for (int i = 0; i < maps.length; i++) {
                            maps[i] = clsRow.get(i).toFloatArray();
                        }
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Plots.learningCurves(ms, "ViT on " + name, runDir.resolve(name + "-curves.png"));
        EpochMetrics last = ms.get(ms.size() - 1);
        double best = ms.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(0);
        List<String> row =
                List.of(
                        "ViT, " + name,
                        String.format(Locale.ROOT, "%,d", params),
                        HtmlReport.pct(last.testAccuracy()),
                        HtmlReport.pct(best),
                        String.format(Locale.ROOT, "%.0f", seconds));
        String key = name.toLowerCase(Locale.ROOT).replace("-", "");
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put(key + "_test_accuracy", last.testAccuracy());
        figures.put(key + "_best_test_accuracy", best);
        figures.put(key + "_parameters", (double) params);
        figures.put(key + "_seconds", seconds);
        run.record().result(key, ms);
        return new Trained(row, figures, ms, maps);
    }

    /** The week-6 CNN's final test accuracy, when that lab's run folder sits beside this one. */
    private static String week6Accuracy(Path runJson) {
        if (!Files.isRegularFile(runJson)) {
            return "run 'dllab run " + WEEK6_LAB + "' to compare";
        }
        try {
            var epochs = RunRecord.summaryOf(RunRecord.read(runJson)).getAsJsonArray("SimpleCnn");
            var last = epochs.get(epochs.size() - 1).getAsJsonObject();
            return HtmlReport.pct(
                            last.get(last.has("test_accuracy") ? "test_accuracy" : "testAccuracy")
                                    .getAsDouble())
                    + " (week 6, "
                    + epochs.size()
                    + " epochs)";
        } catch (java.io.IOException | RuntimeException unreadable) {
            return "unreadable " + runJson;
        }
    }

    private static long simpleCnnParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            var block = SimpleCnn.build();
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            return ModelSize.parameters(block);
        }
    }

    /**
     * Each digit beside its class-token attention map (the P patch weights as a grid, red = more).
     */
    private static void attentionMaps(ImageSet images, float[][] maps, Path file)
            throws java.io.IOException {
        int scale = 4;
        int side = 28 * scale;
        int grid = (int) Math.round(Math.sqrt(maps[0].length));
        BufferedImage img =
                new BufferedImage(maps.length * (2 * side + 12), side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < maps.length; i++) {
            int x0 = i * (2 * side + 12);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = images.pixels()[i * 784 + y * 28 + x] & 0xFF;
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + x * scale, y * scale, scale, scale);
                }
            }
            float max = 1e-9f;
            for (float a : maps[i]) {
                max = Math.max(max, a);
            }
            int cell = side / grid;
            for (int k = 0; k < maps[i].length; k++) {
                int v = Math.round(255 * maps[i][k] / max);
                g.setColor(new Color(255, 255 - v, 255 - v));
                g.fillRect(x0 + side + (k % grid) * cell, (k / grid) * cell, cell, cell);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
