package org.dllab.run;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The training loop every classification lab shares: one pass over the training data with a
 * progress bar, one over the evaluation data, and a callback per epoch (to write {@code run.json}
 * as it goes). Each training step is lean: forward, loss, backward, update; the loss and accuracy
 * are summed on the engine and read once a pass (and at most 100 times for the progress and the
 * divergence check), since each read waits for the engine (docs/benchmarks.md, "Where the time
 * goes"). Each epoch's batches live in a sub-manager closed at the end of the epoch, so memory
 * stays flat however many epochs run and even when {@code --max-batches} stops an epoch early.
 *
 * <p>Build the trainer's configuration with {@link #config}: the loss, the optimizer, one device. A
 * loss that becomes NaN or infinite stops training with a {@link TrainingStoppedException}.
 */
public final class ClassifierTraining {

    private final Trainer trainer;
    private final int batchSize;
    private final long maxBatches;
    private final PrintStream out;
    private java.util.function.DoubleConsumer batchLoss = v -> {};

    /**
     * Whether the running loss is read after every batch (for a listener), not 100 times a pass.
     */
    private boolean everyBatch;

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
     * The training configuration this loop expects: the loss, the optimizer and one device. (No
     * evaluators or listeners: the loop measures loss and accuracy itself, without a second loss
     * computation or a read per batch.)
     *
     * @param loss the loss
     * @param optimizer the optimizer
     * @param device the device
     * @return the configuration
     */
    public static DefaultTrainingConfig config(Loss loss, Optimizer optimizer, Device device) {
        return new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
    }

    /**
     * Receives the epoch's running mean loss after every training batch (loss curves finer than per
     * epoch). It costs a wait for the engine per batch, which the loop otherwise avoids.
     *
     * @param listener called after each training batch
     * @return this
     */
    public ClassifierTraining onTrainingBatch(java.util.function.DoubleConsumer listener) {
        this.batchLoss = listener;
        this.everyBatch = true;
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
            Pass trained = pass(train, true, "Epoch " + epoch + "/" + epochs, epoch);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            Pass tested = pass(test, false, "Evaluate", epoch);
            EpochMetrics m =
                    new EpochMetrics(
                            epoch,
                            trained.loss(),
                            trained.accuracy(),
                            tested.loss(),
                            tested.accuracy(),
                            (System.nanoTime() - start) / 1e9,
                            trained.samples() / trainSeconds,
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
        org.dllab.core.FileTrees.writeAtomically(
                checkpoint.dir().resolve("progress.json"), GSON.toJson(progress));
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

    /**
     * What one pass measured: the mean of the batches' losses, the share of examples whose largest
     * logit is the label, and how many examples.
     */
    private record Pass(float loss, float accuracy, long samples) {}

    /**
     * One pass over the data. Training is the lean step: forward, loss, backward, update, nothing
     * else per batch; the loss and the correct predictions are summed on the engine and read once
     * in the pass (and where the progress shows them, at most 100 times), not per batch: each read
     * waits for the engine, and DJL's evaluators would compute the loss a second time.
     */
    private Pass pass(RandomAccessDataset data, boolean training, String label, int epoch)
            throws IOException, TranslateException {
        long total = batchesPerPass(data);
        Progress bar = Progress.start(label, total, out);
        long batches = 0;
        long samples = 0;
        long shown = 0;
        try (NDManager passManager = trainer.getManager().newSubManager()) {
            NDArray lossSum = passManager.zeros(new Shape(), DataType.FLOAT32);
            NDArray correct = passManager.zeros(new Shape(), DataType.INT64);
            for (Batch batch : data.getData(passManager)) {
                try (batch) {
                    NDList labels = batch.getLabels();
                    NDList predictions;
                    if (training) {
                        NDArray loss;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            predictions = trainer.forward(batch.getData(), labels);
                            loss = trainer.getLoss().evaluate(labels, predictions);
                            gc.backward(loss);
                        }
                        lossSum.addi(loss); // outside the collector: no graph to record
                        trainer.step();
                    } else {
                        predictions = trainer.evaluate(batch.getData());
                        lossSum.addi(trainer.getLoss().evaluate(labels, predictions));
                    }
                    correct.addi(
                            predictions
                                    .head()
                                    .argMax(1)
                                    .eq(labels.head().toType(DataType.INT64, false).reshape(-1))
                                    .sum());
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
                                    + "; the "
                                    + (resumeIn == null
                                            ? "weights"
                                            : epoch == 1
                                                    ? "initial weights"
                                                    : "weights after epoch " + (epoch - 1))
                                    + " are in "
                                    + checkpoint.dir()
                                    + ": add --resume to the same command to go on");
                }
                TrainingInterrupt.check();
                long percent = batches * 100 / total;
                if (training && (everyBatch || percent > shown || batches >= total)) {
                    // a read: the running loss for the progress and the divergence check
                    shown = percent;
                    float running = lossSum.getFloat() / batches;
                    if (!Float.isFinite(running)) {
                        throw diverged(epoch, Float.isNaN(running) ? "NaN" : "infinite");
                    }
                    batchLoss.accept(running);
                    if (bar != null) {
                        bar.update(batches, String.format(Locale.ROOT, "loss %.4f", running));
                    }
                } else if (bar != null && !training) {
                    bar.update(batches, null);
                }
                if (batches >= total) {
                    break;
                }
            }
            if (bar != null) {
                bar.end();
            }
            return new Pass(
                    batches == 0 ? Float.NaN : lossSum.getFloat() / batches,
                    samples == 0 ? Float.NaN : (float) correct.getLong() / samples,
                    samples);
        }
    }
}
