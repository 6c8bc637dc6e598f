package org.dllab.labs.week05;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.core.Devices;
import org.dllab.data.ImageSet;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.labs.LabResult;
import org.dllab.run.Checkpoint;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.TrainingStoppedException;
import org.dllab.run.HtmlReport;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;

/**
 * Week 5: a multilayer perceptron classifies MNIST digits.
 *
 * <p>784 pixels -> 256 -> 128 -> 10 logits, ReLU between, softmax cross-entropy, Adam. Three epochs on the full
 * 60,000 training images reach about 98 % on the 10,000 test images in 10-13 s on two CPU cores
 * (docs/labs/w05-mnist-mlp.md has the measured figures).
 */
public final class MnistMlp implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w05-mnist-mlp";

    /** Three passes suffice for an MLP to pass 97.5 % (the benchmark target). */
    public static final int EPOCHS = 3;

    /** 64: about 940 updates an epoch, enough for three epochs to pass the target with a margin. */
    public static final int BATCH_SIZE = 64;

    /** Adam's customary step size; it needs no tuning for this network. */
    public static final float LEARNING_RATE = 1e-3f;

    /** MNIST's pixel mean and standard deviation (of x / 255) over the training set. */
    public static final float[] MEAN = {0.1307f};

    /** MNIST's pixel standard deviation. */
    public static final float[] STD = {0.3081f};

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean smallOperations() {
        return true; // an MLP at batch 64: 21 k -> 33 k samples/s on one thread (docs/benchmarks.md, "Threads")
    }

    @Override
    public int week() {
        return 5;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public String title() {
        return "MLP 784-256-128-10 on MNIST: softmax cross-entropy, Adam (target >= 97.5 % test accuracy in 3 epochs)";
    }

    /**
     * The network: flatten each 1x28x28 image, two hidden ReLU layers, ten logits (softmax lives in the loss).
     *
     * @return the block
     */
    public static Block network() {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock(28 * 28))
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    @Override
    public LabResult run(RunOptions options, PrintStream out) throws Exception {
        PrintStream log = options.quiet() ? null : out;
        DjlRuntime.engine((int) options.seed());
        int epochs = options.epochsOr(EPOCHS);
        int batchSize = options.batchSizeOr(BATCH_SIZE);
        float lr = options.learningRateOr(LEARNING_RATE);
        Path runDir = options.outputOr(ID);
        Device device = Devices.parse(options.device());

        ImageData data = ImageData.mnist(options, log);
        Path folder = data.folder();
        ImageSet trainSet = data.train();
        ImageSet testSet = data.test();
        if (log != null) {
            log.printf("MNIST from %s: %d train, %d test images; device %s; %s%n",
                    folder, trainSet.size(), testSet.size(), device, DjlRuntime.describeEngine());
        }

        RunRecord record = new RunRecord(ID, options.seed(), device.toString())
                .config("epochs", epochs)
                .config("batch_size", batchSize)
                .config("learning_rate", lr)
                .config("optimizer", "adam")
                .config("lr_schedule", "cosine to 0")
                .config("max_batches", options.maxBatches())
                .config("train_examples", trainSet.size())
                .config("test_examples", testSet.size())
                .config("data", folder.toString());
        long start = System.nanoTime();
        Map<String, Double> summary = new LinkedHashMap<>();
        int stepsPerEpoch = (trainSet.size() + batchSize - 1) / batchSize;
        if (options.maxBatches() > 0) {
            stepsPerEpoch = (int) Math.min(stepsPerEpoch, options.maxBatches());
        }
        try (Model model = Model.newInstance(ID, device)) {
            model.setBlock(network());
            Checkpoint checkpoint = new Checkpoint(model, runDir);
            int done = options.resume() ? Checkpoint.epochsDone(runDir) : 0;
            if (done >= epochs) {
                throw new IllegalArgumentException("--resume: the run in " + runDir + " has already trained " + done
                        + " epoch(s); ask for more with --epochs");
            }
            // a resumed run continues the schedule where it stopped
            Tracker full = schedule(lr, epochs * stepsPerEpoch);
            int offset = Math.max(0, done) * stepsPerEpoch;
            Tracker tracker = offset == 0 ? full : step -> full.getNewValue(step + offset);
            DefaultTrainingConfig config = ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(), Optimizer.adam().optLearningRateTracker(tracker).build(), device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager dataManager = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                if (options.resume()) {
                    done = checkpoint.restore();
                    record.continueFrom(runDir, done);
                    if (log != null) {
                        log.printf("Resuming after epoch %d from %s%n", done, checkpoint.dir());
                    }
                }
                long params = countParameters(model.getBlock());
                record.result("parameters", params);
                ArrayDataset train = trainSet.toDataset(dataManager, batchSize, true, MEAN, STD);
                ArrayDataset test = testSet.toDataset(dataManager, batchSize, false, MEAN, STD);
                ClassifierTraining loop = new ClassifierTraining(trainer, batchSize, options.maxBatches(), log)
                        .checkpointing(checkpoint).startingAt(done + 1);
                try {
                    loop.fit(train, test, epochs, m -> {
                        record.addEpoch(m);
                        writeQuietly(record, runDir);
                    });
                } catch (TrainingStoppedException stopped) {
                    record.finish(stopped.status(), (System.nanoTime() - start) / 1e9, 0);
                    record.write(runDir);
                    throw stopped;
                }
                summary.put("parameters", (double) params);
            }
            model.setProperty("Epoch", Integer.toString(epochs));
            model.save(runDir, ID);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double samplesPerSecond = record.epochs().stream().mapToDouble(m -> m.samplesPerSecond()).average().orElse(0);
        var last = record.epochs().get(record.epochs().size() - 1);
        record.result("test_accuracy", last.testAccuracy());
        record.finish("completed", wall, samplesPerSecond);
        record.write(runDir);
        Plots.learningCurves(record.epochs(), "MNIST MLP", runDir.resolve("curves.png"));
        new HtmlReport("Week 5: MLP on MNIST")
                .paragraph(String.format(java.util.Locale.ROOT, "Test accuracy %.2f %% after %d epoch(s); %d parameters; %.1f s.",
                        100 * last.testAccuracy(), epochs, (long) (double) summary.get("parameters"), wall))
                .epochs(record.epochs())
                .image("Loss and accuracy per epoch", runDir.resolve("curves.png"))
                .write(runDir);
        summary.put("test_accuracy", last.testAccuracy());
        summary.put("wall_seconds", wall);
        summary.put("samples_per_second", samplesPerSecond);
        if (log != null) {
            log.printf("Test accuracy %.2f %% after %d epoch(s), %.1f s. Run folder: %s%n",
                    100 * last.testAccuracy(), epochs, wall, runDir.toAbsolutePath());
        }
        return new LabResult(runDir, record.epochs(), summary);
    }

    /**
     * The learning rate: {@code lr} falling along a half cosine to zero at the last step. Large steps early,
     * fine ones at the end: worth about half a point of test accuracy over a fixed rate in three epochs.
     *
     * @param lr the starting rate
     * @param totalSteps optimizer steps in the whole run
     * @return the tracker
     */
    public static Tracker schedule(float lr, int totalSteps) {
        return CosineTracker.builder().setBaseValue(lr).optFinalValue(0f).setMaxUpdates(Math.max(1, totalSteps)).build();
    }

    /**
     * Counts trainable parameters.
     *
     * @param block an initialised block
     * @return the number of scalars
     */
    public static long countParameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    private static void writeQuietly(RunRecord record, Path dir) {
        try {
            record.write(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write run.json in " + dir, e);
        }
    }

    /**
     * Runs the lab with its defaults (the CLI, {@code dllab run mnist-mlp}, offers every option).
     *
     * @param args ignored
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        new MnistMlp().run(new RunOptions(), System.out);
    }
}
