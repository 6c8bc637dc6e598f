package org.dllab.labs.week05;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.labs.ImageData;
import org.dllab.labs.Lab;
import org.dllab.models.Mlp;
import org.dllab.run.Checkpoint;
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
 * Week 5: a multilayer perceptron classifies MNIST digits.
 *
 * <p>784 pixels -> 256 -> 128 -> 10 logits, ReLU between, softmax cross-entropy, Adam. Three epochs
 * on the full 60,000 training images reach about 98 % on the 10,000 test images in 10-13 s on two
 * CPU cores (docs/labs/w05-mnist-mlp.md has the measured figures).
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

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean smallOperations() {
        return true; // an MLP at batch 64: 21 k -> 33 k samples/s on one thread
        // (docs/benchmarks.md, "Threads")
    }

    @Override
    public int week() {
        return 5;
    }

    @Override
    public String title() {
        return "MLP 784-256-128-10 on MNIST: softmax cross-entropy, Adam (target >= 97.5 % test accuracy in 3 epochs)";
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.RESUME);
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        PrintStream log = run.log();
        int epochs = run.epochs(EPOCHS);
        int batchSize = run.batchSize(BATCH_SIZE);
        float lr = run.learningRate(LEARNING_RATE);
        long maxBatches = run.options().maxBatches();
        boolean resume = run.options().resume();
        Path runDir = run.dir();
        Device device = run.device();

        ImageData data = ImageData.mnist(run.options(), log);
        ImageSet trainSet = data.train();
        ImageSet testSet = data.test();
        if (log != null) {
            log.printf(
                    "MNIST from %s: %d train, %d test images; device %s; %s%n",
                    data.folder(),
                    trainSet.size(),
                    testSet.size(),
                    device,
                    DjlRuntime.describeEngine());
        }
        RunRecord record =
                run.record()
                        .config("optimizer", "adam")
                        .config("lr_schedule", "cosine to 0")
                        .config("train_examples", trainSet.size())
                        .config("test_examples", testSet.size())
                        .config("data", data.folder().toString());
        int stepsPerEpoch = (trainSet.size() + batchSize - 1) / batchSize;
        if (maxBatches > 0) {
            stepsPerEpoch = (int) Math.min(stepsPerEpoch, maxBatches);
        }
        long params;
        try (Model model = Model.newInstance(ID, device)) {
            model.setBlock(Mlp.mnist());
            Checkpoint checkpoint = new Checkpoint(model, runDir);
            int done = resume ? Checkpoint.epochsDone(runDir) : 0;
            if (done >= epochs) {
                throw new IllegalArgumentException(
                        "--resume: the run in "
                                + runDir
                                + " has already trained "
                                + done
                                + " epoch(s); ask for more with --epochs");
            }
            // a resumed run continues the schedule where it stopped
            Tracker full = Schedules.cosine(lr, epochs * stepsPerEpoch);
            int offset = Math.max(0, done) * stepsPerEpoch;
            Tracker tracker = offset == 0 ? full : step -> full.getNewValue(step + offset);
            DefaultTrainingConfig config =
                    ClassifierTraining.config(
                            Loss.softmaxCrossEntropyLoss(),
                            Optimizer.adam().optLearningRateTracker(tracker).build(),
                            device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager dataManager = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                if (resume) {
                    done = checkpoint.restore();
                    record.continueFrom(runDir, done);
                    if (log != null) {
                        log.printf("Resuming after epoch %d from %s%n", done, checkpoint.dir());
                    }
                }
                params = ModelSize.parameters(model.getBlock());
                ArrayDataset train =
                        trainSet.toDataset(
                                dataManager, batchSize, true, MnistIdx.MEAN, MnistIdx.STD);
                ArrayDataset test =
                        testSet.toDataset(
                                dataManager, batchSize, false, MnistIdx.MEAN, MnistIdx.STD);
                new ClassifierTraining(trainer, batchSize, maxBatches, log)
                        .checkpointing(checkpoint)
                        .startingAt(done + 1)
                        .fit(
                                train,
                                test,
                                epochs,
                                m -> {
                                    record.addEpoch(m);
                                    run.save();
                                });
            }
            model.setProperty("Epoch", Integer.toString(epochs));
            model.save(runDir, ID);
        }
        var last = record.epochs().get(record.epochs().size() - 1);
        Plots.learningCurves(record.epochs(), "MNIST MLP", runDir.resolve("curves.png"));
        new HtmlReport("Week 5: MLP on MNIST")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "Test accuracy %.2f %% after %d epoch(s); %d parameters; %.1f s.",
                                100 * last.testAccuracy(),
                                epochs,
                                params,
                                run.seconds()))
                .epochs(record.epochs())
                .image("Loss and accuracy per epoch", runDir.resolve("curves.png"))
                .write(runDir);
        if (log != null) {
            log.printf(
                    "Test accuracy %.2f %% after %d epoch(s), %.1f s. Run folder: %s%n",
                    100 * last.testAccuracy(), epochs, run.seconds(), runDir.toAbsolutePath());
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("parameters", (double) params);
        summary.put("test_accuracy", last.testAccuracy());
        summary.put(
                "samples_per_second",
                record.epochs().stream()
                        .mapToDouble(EpochMetrics::samplesPerSecond)
                        .average()
                        .orElse(0));
        return new LabResult(runDir, record.epochs(), summary);
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
