package org.dllab.labs.week07;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.CifarBinary;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImageAugmentation;
import org.dllab.data.ImageSet;
import org.dllab.data.Split;
import org.dllab.labs.Lab;
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
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Week 7: overfitting and regularisation. A CNN is trained on only 1,000 CIFAR-10 images (it
 * memorises them) and validated on 1,000 others, six ways: no regularisation, dropout, weight
 * decay, data augmentation, batch norm, and early stopping (the baseline's run, stopped when
 * validation accuracy has not improved for {@link #PATIENCE} epochs). Train-vs-validation curves
 * per setting, a table of the final gap, and a demonstration of train vs eval mode.
 */
public final class RegularizationLab implements Lab {

    /** The lab's id. */
    public static final String ID = "w07-regularization";

    /** Training images: few enough that the baseline memorises them. */
    public static final int TRAIN_IMAGES = 1000;

    /** Validation images, held out from the training file. */
    public static final int VALIDATION_IMAGES = 1000;

    /**
     * Epochs per setting: long enough for the baseline's validation accuracy to peak and fall back.
     */
    public static final int EPOCHS = 25;

    /** Early stopping's patience, in epochs. */
    public static final int PATIENCE = 3;

    /**
     * Decoupled weight decay (AdamW): each step shrinks the weights by {@code lr * 0.5}. Measured
     * here: it shrinks the weights clearly but barely moves validation accuracy in 25 epochs (0.05,
     * the usual value for long runs, changes nothing at all in so few steps).
     */
    public static final float WEIGHT_DECAY = 0.5f;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 7;
    }

    @Override
    public String title() {
        return "Overfit 1,000 CIFAR images, then dropout, weight decay, augmentation, batch norm, early stopping; train vs eval mode";
    }

    private record Setting(
            String name, boolean dropout, boolean batchNorm, float weightDecay, boolean augment) {}

    /**
     * The epoch early stopping would keep: the best validation accuracy, once {@code patience}
     * later epochs have not improved on it (or the last epoch's best if training ended first).
     *
     * @param validation validation accuracy per epoch
     * @param patience epochs without improvement before stopping
     * @return {stop epoch (1-based), kept epoch (1-based)}
     */
    public static int[] earlyStop(double[] validation, int patience) {
        int best = 0;
        for (int e = 1; e < validation.length; e++) {
            if (validation[e] > validation[best]) {
                best = e;
            } else if (e - best >= patience) {
                return new int[] {e + 1, best + 1};
            }
        }
        return new int[] {validation.length, best + 1};
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.RESUME);
    }

    /**
     * What training under one setting measured.
     *
     * @param epochs per-epoch train and validation figures
     * @param weightNorm the L2 norm of the weights at the end
     * @param modeDemo train vs eval mode on the same images (dropout and batch norm), or empty
     */
    record Trained(List<EpochMetrics> epochs, double weightNorm, String modeDemo) {}

    /** Trains the CNN from the seed under one setting. */
    private static Trained train(
            LabRun run,
            Setting s,
            ImageSet train,
            ImageSet validation,
            int epochs,
            int batchSize,
            float lr)
            throws Exception {
        RunOptions options = run.options();
        Device device = run.device();
        PrintStream log = run.log();
        DjlRuntime.engine((int) options.seed());
        List<EpochMetrics> ms = new ArrayList<>();
        try (Model model = Model.newInstance(ID, device)) {
            model.setBlock(RegularizedCnn.build(s.dropout(), s.batchNorm()));
            Optimizer opt =
                    s.weightDecay() > 0
                            ? Optimizer.adamW()
                                    .optLearningRateTracker(Tracker.fixed(lr))
                                    .optWeightDecays(s.weightDecay())
                                    .build()
                            : Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
            DefaultTrainingConfig config =
                    ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(), opt, device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                if (log != null) {
                    log.println("Setting: " + s.name());
                }
                new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                        .resumable(run, model)
                        .fit(
                                train.toDataset(
                                        data,
                                        batchSize,
                                        true,
                                        CifarBinary.MEAN,
                                        CifarBinary.STD,
                                        s.augment()
                                                ? new ImageAugmentation(4, true, options.seed())
                                                : null),
                                validation.toDataset(
                                        data, batchSize, false, CifarBinary.MEAN, CifarBinary.STD),
                                epochs,
                                ms::add);
                String demo =
                        s.dropout() || s.batchNorm()
                                ? modeDemo(model.getBlock(), data, validation, s.name()) + " "
                                : "";
                return new Trained(ms, weightNorm(model.getBlock()), demo);
            }
        }
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
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.CIFAR10, log);
        ImageSet all = CifarBinary.load(folder, Split.TRAIN).shuffle(options.seed());
        int trainCount = options.limit() != null ? options.limit() : TRAIN_IMAGES;
        if (all.size() < trainCount + 100) {
            throw new IllegalArgumentException(
                    "--limit "
                            + trainCount
                            + " leaves too few of "
                            + all.size()
                            + " images for validation");
        }
        ImageSet train = all.limit(trainCount);
        int[] valIdx =
                java.util.stream.IntStream.range(
                                trainCount, Math.min(all.size(), trainCount + VALIDATION_IMAGES))
                        .toArray();
        ImageSet validation = all.select(valIdx);
        RunRecord record =
                run.record()
                        .config("train_examples", train.size())
                        .config("validation_examples", validation.size())
                        .config("weight_decay", WEIGHT_DECAY)
                        .config("patience", PATIENCE);
        if (log != null) {
            log.printf(
                    "Training on %d CIFAR-10 images, validating on %d (%s)%n",
                    train.size(), validation.size(), folder);
        }
        List<Setting> settings =
                List.of(
                        new Setting("none", false, false, 0f, false),
                        new Setting("dropout 0.5", true, false, 0f, false),
                        new Setting(
                                "weight decay " + WEIGHT_DECAY, false, false, WEIGHT_DECAY, false),
                        new Setting("augmentation", false, false, 0f, true),
                        new Setting("batch norm", false, true, 0f, false));
        Map<String, Double> summary = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        List<XYChart> charts = new ArrayList<>();
        Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>();
        String modeDemo = "";
        for (Setting s : settings) {
            Trained t =
                    run.experiment(
                            key(s.name()),
                            Trained.class,
                            () -> train(run, s, train, validation, epochs, batchSize, lr));
            List<EpochMetrics> ms = t.epochs();
            double weightNorm = t.weightNorm();
            modeDemo += t.modeDemo();
            curves.put(s.name(), ms);
            addRow(rows, s.name(), ms, ms.size(), weightNorm);
            summary.put("weight_norm_" + key(s.name()), weightNorm);
            summary.put("gap_" + key(s.name()), gap(ms.get(ms.size() - 1)));
            summary.put("val_" + key(s.name()), ms.get(ms.size() - 1).testAccuracy());
            charts.add(chart(s.name(), ms, 0));
            if (log != null) {
                EpochMetrics last = ms.get(ms.size() - 1);
                log.printf(
                        "  %-20s train %.1f %%, validation %.1f %%, gap %.1f points, weight norm %.1f%n",
                        s.name(),
                        100 * last.trainAccuracy(),
                        100 * last.testAccuracy(),
                        100 * gap(last),
                        weightNorm);
            }
        }
        // Early stopping: the baseline run, cut where validation stopped improving
        List<EpochMetrics> base = curves.get("none");
        int[] stop =
                earlyStop(
                        base.stream().mapToDouble(EpochMetrics::testAccuracy).toArray(), PATIENCE);
        addRow(rows, "early stopping (patience " + PATIENCE + ")", base, stop[1], Double.NaN);
        EpochMetrics kept = base.get(stop[1] - 1);
        summary.put("gap_early", gap(kept));
        summary.put("val_early", kept.testAccuracy());
        summary.put("early_stop_epoch", (double) stop[0]);
        charts.add(
                chart(
                        "early stopping: keep epoch " + stop[1] + " (stopped at " + stop[0] + ")",
                        base,
                        stop[1]));
        try (OutputStream png = Files.newOutputStream(runDir.resolve("curves.png"))) {
            BitmapEncoder.saveBitmap(charts, 2, 3, png, BitmapEncoder.BitmapFormat.PNG);
        }
        record.result("settings", rows).result("mode_demo", modeDemo.trim());
        run.save();
        new HtmlReport("Week 7: overfitting and regularisation")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "%d training and %d validation images from CIFAR-10, %d epochs each, Adam %s.",
                                train.size(),
                                validation.size(),
                                epochs,
                                lr))
                .table(
                        List.of(
                                "setting",
                                "train accuracy",
                                "validation accuracy",
                                "gap (points)",
                                "best validation",
                                "weight L2 norm"),
                        rows)
                .image(
                        "Train (blue) vs validation (orange) accuracy per epoch, one panel per setting",
                        runDir.resolve("curves.png"))
                .heading("Train mode vs eval mode")
                .paragraph(modeDemo.trim())
                .write(runDir);
        if (log != null) {
            log.printf(
                    "  %-20s validation %.1f %% at epoch %d (stopped at %d), gap %.1f points%n",
                    "early stopping", 100 * kept.testAccuracy(), stop[1], stop[0], 100 * gap(kept));
            log.println(modeDemo.trim());
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /**
     * Dropout and batch norm behave differently in training and evaluation: dropout draws a new
     * mask on every training pass (two passes differ) and none in eval mode; batch norm normalises
     * with the batch's own statistics in training and with its running averages in eval mode (train
     * and eval outputs differ).
     */
    private static String modeDemo(Block block, NDManager m, ImageSet images, String name) {
        try (NDManager s = m.newSubManager()) {
            var ds = images.limit(16).toDataset(s, 16, false, CifarBinary.MEAN, CifarBinary.STD);
            try (var batch = ds.getData(s).iterator().next()) {
                NDList x = batch.getData();
                ParameterStore ps = new ParameterStore(s, false);
                NDArray t1 = block.forward(ps, x, true).singletonOrThrow();
                NDArray t2 = block.forward(ps, x, true).singletonOrThrow();
                NDArray e1 = block.forward(ps, x, false).singletonOrThrow();
                NDArray e2 = block.forward(ps, x, false).singletonOrThrow();
                float trainDiff = t1.sub(t2).abs().max().getFloat();
                float evalDiff = e1.sub(e2).abs().max().getFloat();
                float trainVsEval = t1.sub(e1).abs().max().getFloat();
                return String.format(
                        Locale.ROOT,
                        "[%s] two train-mode passes differ by up to %.3f, two eval-mode passes by %.3f, "
                                + "train vs eval by %.3f.",
                        name,
                        trainDiff,
                        evalDiff,
                        trainVsEval);
            }
        } catch (Exception e) {
            return "[" + name + "] mode demo failed: " + e.getMessage();
        }
    }

    private static void addRow(
            List<List<String>> rows,
            String name,
            List<EpochMetrics> ms,
            int epoch,
            double weightNorm) {
        EpochMetrics m = ms.get(epoch - 1);
        double best =
                ms.subList(0, epoch).stream()
                        .mapToDouble(EpochMetrics::testAccuracy)
                        .max()
                        .orElse(0);
        rows.add(
                List.of(
                        name,
                        HtmlReport.pct(m.trainAccuracy()),
                        HtmlReport.pct(m.testAccuracy()),
                        String.format(Locale.ROOT, "%.1f", 100 * gap(m)),
                        HtmlReport.pct(best),
                        Double.isNaN(weightNorm)
                                ? "-"
                                : String.format(Locale.ROOT, "%.1f", weightNorm)));
    }

    /** The L2 norm of all parameters: what weight decay acts on. */
    private static double weightNorm(Block block) {
        double sum = 0;
        for (var p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            sum += a.square().sum().getFloat();
        }
        return Math.sqrt(sum);
    }

    private static double gap(EpochMetrics m) {
        return m.trainAccuracy() - m.testAccuracy();
    }

    private static String key(String name) {
        return name.split(" ")[0].toLowerCase(Locale.ROOT);
    }

    private static XYChart chart(String title, List<EpochMetrics> ms, int markEpoch) {
        XYChart c = Plots.chart(title, "epoch", "accuracy");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double[] x = ms.stream().mapToDouble(EpochMetrics::epoch).toArray();
        c.addSeries("train", x, ms.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray())
                .setMarker(SeriesMarkers.NONE);
        c.addSeries("validation", x, ms.stream().mapToDouble(EpochMetrics::testAccuracy).toArray())
                .setMarker(SeriesMarkers.NONE);
        if (markEpoch > 0) {
            c.addSeries(
                            "kept",
                            new double[] {markEpoch},
                            new double[] {ms.get(markEpoch - 1).testAccuracy()})
                    .setMarker(SeriesMarkers.DIAMOND);
        }
        return c;
    }
}
