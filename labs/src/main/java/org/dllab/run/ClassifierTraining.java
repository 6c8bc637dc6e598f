package org.dllab.run;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The training loop every classification lab shares: one pass over the training data with a
 * progress bar, one over the evaluation data, metrics from DJL's evaluators, and a callback per
 * epoch (to write {@code run.json} as it goes). Each epoch's batches live in a sub-manager closed
 * at the end of the epoch, so memory stays flat however many epochs run and even when {@code
 * --max-batches} stops an epoch early.
 *
 * <p>Build the trainer's configuration with {@link #config}: the loop reads DJL's evaluators (an
 * {@code Accuracy} and the loss) through {@code TrainingListener.Defaults.basic()}, which also
 * stops training on a NaN loss.
 */
public final class ClassifierTraining {

    private final Trainer trainer;
    private final int batchSize;
    private final long maxBatches;
    private final PrintStream out;
    private java.util.function.DoubleConsumer batchLoss = v -> {};
    private Checkpoint checkpoint;

    /** Tests only: runs after each training batch (to press "Ctrl-C" at a chosen batch). */
    static volatile Runnable afterTrainingBatch;

    private int firstEpoch = 1;
    private String evaluated = "test";

    /** The lab run a {@link #resumable} training saves its progress in, or null. */
    private LabRun resumeIn;

    private final List<EpochMetrics> finished = new ArrayList<>();
    private Tested best;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;
    private boolean replaying;

    /** Progress of a resumable training, next to its weights: epochs, best epoch, options. */
    private static final Gson GSON =
            new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /**
     * Creates the loop.
     *
     * @param trainer the configured trainer
     * @param batchSize the batch size the datasets were built with
     * @param maxBatches most batches per pass, 0 for all
     * @param out progress and per-epoch lines, or null for quiet
     */
    public ClassifierTraining(Trainer trainer, int batchSize, long maxBatches, PrintStream out) {
        this.trainer = trainer;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.out = out;
    }

    /**
     * The training configuration this loop expects: the loss, an accuracy evaluator, DJL's basic
     * listeners (evaluators, epoch counting, NaN check), the optimizer and one device.
     *
     * @param loss the loss
     * @param optimizer the optimizer
     * @param device the device
     * @return the configuration
     */
    public static DefaultTrainingConfig config(Loss loss, Optimizer optimizer, Device device) {
        return new DefaultTrainingConfig(loss)
                .addEvaluator(new Accuracy())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device})
                .addTrainingListeners(TrainingListener.Defaults.basic());
    }

    /**
     * Receives the loss of every training batch (loss curves finer than per epoch).
     *
     * @param listener called after each training batch
     * @return this
     */
    public ClassifierTraining onTrainingBatch(java.util.function.DoubleConsumer listener) {
        this.batchLoss = listener;
        return this;
    }

    /**
     * Keeps the last good weights in a checkpoint (before the first epoch, after each, on {@code
     * Ctrl-C}), stops with a {@link TrainingStoppedException} when the loss becomes NaN or
     * infinite, and on {@code Ctrl-C} or SIGTERM saves them before it stops.
     *
     * @param checkpoint where the weights go
     * @return this
     */
    public ClassifierTraining checkpointing(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
        return this;
    }

    /**
     * Makes the training resumable in a lab run ({@code --resume}): the weights are checkpointed
     * before the first epoch, after each and on a signal, with the epochs so far and the best
     * validation result, in the run folder ({@link LabRun#experiment}'s checkpoint folder); a run
     * started again with {@code --resume} and the same options loads them and goes on after the
     * last finished epoch, handing the earlier epochs to the per-epoch callback as if they had just
     * run. Only the weights are kept: the optimizer's moments and its update count start afresh (so
     * use it with a fixed learning rate), and later epochs shuffle differently than an
     * uninterrupted run would.
     *
     * @param run the lab run
     * @param model the model trained (initialised)
     * @return this
     */
    public ClassifierTraining resumable(LabRun run, Model model) {
        this.resumeIn = run;
        this.checkpoint = Checkpoint.in(model, run.checkpointFolder());
        return this;
    }

    /**
     * Names the evaluation data in the per-epoch lines (default {@code test}).
     *
     * @param name e.g. {@code validation}
     * @return this
     */
    public ClassifierTraining evaluating(String name) {
        this.evaluated = name;
        return this;
    }

    /**
     * Starts at a later epoch ({@code --resume}: the weights come from the checkpoint).
     *
     * @param epoch the first epoch to run, 1-based
     * @return this
     */
    public ClassifierTraining startingAt(int epoch) {
        this.firstEpoch = Math.max(1, epoch);
        return this;
    }

    /**
     * Trains for some epochs.
     *
     * @param train training data
     * @param test evaluation data
     * @param epochs how many epochs
     * @param onEpoch called after each epoch
     * @throws IOException when data cannot be read
     * @throws TranslateException when a batch cannot be built
     */
    public void fit(
            RandomAccessDataset train,
            RandomAccessDataset test,
            int epochs,
            Consumer<EpochMetrics> onEpoch)
            throws IOException, TranslateException {
        if (resumeIn != null && resumeIn.options().resume()) {
            restore(onEpoch);
        }
        if (checkpoint != null && firstEpoch == 1) {
            checkpoint.save(0, "initial weights");
            saveProgress();
        }
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            long seen;
            try {
                seen = pass(train, true, "Epoch " + epoch + "/" + epochs, epoch);
            } catch (ai.djl.TrainingDivergedException e) { // DJL's own NaN check
                throw diverged(epoch, "NaN");
            }
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            pass(test, false, "Evaluate", epoch);
            trainer.notifyListeners(listener -> listener.onEpoch(trainer));
            Map<String, Float> ev = trainer.getTrainingResult().getEvaluations();
            EpochMetrics m =
                    new EpochMetrics(
                            epoch,
                            ev.getOrDefault("train_loss", Float.NaN),
                            ev.getOrDefault("train_Accuracy", Float.NaN),
                            ev.getOrDefault("validate_loss", Float.NaN),
                            ev.getOrDefault("validate_Accuracy", Float.NaN),
                            (System.nanoTime() - start) / 1e9,
                            seen / trainSeconds,
                            MemoryProbe.residentMegabytes());
            if (out != null) {
                out.printf(
                        "Epoch %d: train loss %.4f acc %.4f | %s loss %.4f acc %.4f | %.1f s, %.0f samples/s, RSS %.0f MB%n",
                        m.epoch(),
                        m.trainLoss(),
                        m.trainAccuracy(),
                        evaluated,
                        m.testLoss(),
                        m.testAccuracy(),
                        m.seconds(),
                        m.samplesPerSecond(),
                        m.rssMegabytes());
            }
            finished.add(m);
            onEpoch.accept(m);
            if (checkpoint != null) {
                checkpoint.save(epoch, "epoch " + epoch);
                saveProgress();
            }
        }
    }

    /**
     * The test figures of a run and the epoch they come from.
     *
     * @param epoch the epoch whose weights were tested
     * @param test what those weights did on the test data
     */
    public record Tested(int epoch, ClassMetrics test) {}

    /**
     * Trains and tests. With validation data, the curves watch it and the test data are run after
     * each epoch that improves the validation accuracy, so the figures reported are those of the
     * best validation epoch (early stopping, without keeping a copy of the weights); the test data
     * never choose anything. Without validation data, the curves watch the test data and the
     * figures are the last epoch's.
     *
     * @param train training data
     * @param validation validation data, or null
     * @param test test data
     * @param epochs how many epochs
     * @param classes number of classes
     * @param onEpoch called after each epoch
     * @return the test figures and their epoch
     * @throws IOException when data cannot be read
     * @throws TranslateException when a batch cannot be built
     */
    public Tested fitAndTest(
            RandomAccessDataset train,
            RandomAccessDataset validation,
            RandomAccessDataset test,
            int epochs,
            int classes,
            Consumer<EpochMetrics> onEpoch)
            throws IOException, TranslateException {
        if (validation == null) {
            int[] last = {0};
            fit(
                    train,
                    test,
                    epochs,
                    m -> {
                        last[0] = m.epoch();
                        onEpoch.accept(m);
                    });
            return new Tested(last[0], evaluate(test, classes));
        }
        fit(
                train,
                validation,
                epochs,
                m -> {
                    onEpoch.accept(m);
                    if (!replaying && m.testAccuracy() > bestAccuracy) {
                        bestAccuracy = m.testAccuracy();
                        try {
                            best = new Tested(m.epoch(), evaluate(test, classes));
                        } catch (IOException | TranslateException e) {
                            throw new IllegalStateException(
                                    "testing after epoch "
                                            + m.epoch()
                                            + " failed: "
                                            + e.getMessage(),
                                    e);
                        }
                    }
                });
        return best;
    }

    /** Saves what a resumed run needs besides the weights ({@link #resumable}). */
    private void saveProgress() throws IOException {
        if (resumeIn == null) {
            return;
        }
        JsonObject progress = new JsonObject();
        progress.add("options", resumeIn.optionsGiven());
        progress.add("epochs", GSON.toJsonTree(finished));
        progress.add("best", GSON.toJsonTree(best));
        progress.addProperty("best_accuracy", bestAccuracy);
        Path file = checkpoint.dir().resolve("progress.json");
        Path tmp = checkpoint.dir().resolve("progress.json.tmp");
        Files.writeString(tmp, GSON.toJson(progress));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads a stopped run's weights and progress and replays its finished epochs. */
    private void restore(Consumer<EpochMetrics> onEpoch) throws IOException {
        resumeIn.requireEarlierRun();
        Path file = checkpoint.dir().resolve("progress.json");
        if (!checkpoint.written() || !Files.isRegularFile(file)) {
            return; // the stopped run never got here: start afresh
        }
        JsonObject progress = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        resumeIn.checkSameOptions(progress.get("options"));
        int done = checkpoint.restore();
        if (progress.get("best") != null && !progress.get("best").isJsonNull()) {
            best = GSON.fromJson(progress.get("best"), Tested.class);
            bestAccuracy = progress.get("best_accuracy").getAsDouble();
        }
        firstEpoch = done + 1;
        if (out != null) {
            out.printf("Resuming after epoch %d from %s%n", done, checkpoint.dir());
        }
        replaying = true;
        try {
            for (var e : progress.getAsJsonArray("epochs")) {
                EpochMetrics m = GSON.fromJson(e, EpochMetrics.class);
                if (m.epoch() <= done) {
                    finished.add(m);
                    onEpoch.accept(m);
                }
            }
        } finally {
            replaying = false;
        }
    }

    /**
     * Runs the model over a dataset and counts (true class, predicted class) pairs; the predicted
     * class is the largest logit. Honours {@code --max-batches}.
     *
     * @param data labelled data
     * @param classes number of classes
     * @return the metrics
     * @throws IOException when data cannot be read
     * @throws TranslateException when a batch cannot be built
     */
    public ClassMetrics evaluate(RandomAccessDataset data, int classes)
            throws IOException, TranslateException {
        int[][] confusion = new int[classes][classes];
        long total = batchesPerPass(data);
        long batches = 0;
        try (NDManager pass = trainer.getManager().newSubManager()) {
            for (Batch batch : data.getData(pass)) {
                try (batch) {
                    long[] predicted =
                            trainer.evaluate(batch.getData())
                                    .singletonOrThrow()
                                    .argMax(1)
                                    .toLongArray();
                    long[] truth = batch.getLabels().singletonOrThrow().toLongArray();
                    for (int i = 0; i < predicted.length; i++) {
                        confusion[(int) truth[i]][(int) predicted[i]]++;
                    }
                }
                if (++batches >= total) {
                    break;
                }
            }
        }
        return ClassMetrics.of(confusion);
    }

    private TrainingStoppedException diverged(int epoch, String value) {
        return new TrainingStoppedException(
                TrainingStoppedException.Reason.DIVERGED,
                "training stopped in epoch "
                        + epoch
                        + ": the loss became "
                        + value
                        + " (lower --lr, or check the data)"
                        + (checkpoint == null
                                ? ""
                                : "; the last good weights are in " + checkpoint.dir()));
    }

    /**
     * Counts the batches one pass will take.
     *
     * @param data the dataset
     * @return batches, after {@code --max-batches}
     */
    public long batchesPerPass(RandomAccessDataset data) {
        long all = (data.size() + batchSize - 1) / batchSize;
        return maxBatches > 0 ? Math.min(all, maxBatches) : all;
    }

    private long pass(RandomAccessDataset data, boolean training, String label, int epoch)
            throws IOException, TranslateException {
        long total = batchesPerPass(data);
        Progress bar = Progress.start(label, total, out);
        long batches = 0;
        long samples = 0;
        try (NDManager passManager = trainer.getManager().newSubManager()) {
            for (Batch batch : data.getData(passManager)) {
                try (batch) {
                    if (training) {
                        EasyTrain.trainBatch(trainer, batch);
                        float running =
                                trainer.getLoss()
                                        .getAccumulator(EvaluatorTrainingListener.TRAIN_ALL);
                        if (!Float.isFinite(
                                running)) { // before the step: the NaN gradients never reach the
                            // weights
                            throw diverged(epoch, Float.isNaN(running) ? "NaN" : "infinite");
                        }
                        trainer.step();
                        batchLoss.accept(running);
                    } else {
                        EasyTrain.validateBatch(trainer, batch);
                    }
                    samples += batch.getSize();
                }
                batches++;
                Runnable hook = afterTrainingBatch;
                if (training && hook != null) {
                    hook.run();
                }
                if (training && checkpoint != null && TrainingInterrupt.requested()) {
                    String why = "interrupted in epoch " + epoch + " after " + batches + " batches";
                    // a resumable run keeps the last epoch's weights, so that --resume starts
                    // where that epoch ended (in epoch 1: exactly as if never stopped)
                    if (resumeIn == null) {
                        checkpoint.save(epoch - 1, why);
                    }
                    throw new TrainingStoppedException(
                            TrainingStoppedException.Reason.INTERRUPTED,
                            "training "
                                    + why
                                    + "; the weights"
                                    + (resumeIn == null ? "" : " after epoch " + (epoch - 1))
                                    + " are in "
                                    + checkpoint.dir()
                                    + ": add --resume to the same command to go on");
                }
                TrainingInterrupt.check();
                if (bar != null) {
                    bar.update(batches, training ? trailer() : null);
                }
                if (batches >= total) {
                    break;
                }
            }
        }
        if (bar != null) {
            bar.end();
        }
        return samples;
    }

    private String trailer() {
        float loss = trainer.getLoss().getAccumulator(EvaluatorTrainingListener.TRAIN_PROGRESS);
        return String.format("loss %.4f", loss);
    }
}
