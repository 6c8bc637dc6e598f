package org.dllab.hw.hw2;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;

/**
 * Runs the whole homework: read the training batches, split 80/20, train {@link SimpleCnn} with Adam (lr 1e-3),
 * report validation accuracy per epoch and the test accuracy at the end. Uses every piece you write.
 */
public final class Hw2 {

    /** Adam's customary step size. */
    public static final float LEARNING_RATE = 1e-3f;

    /** Batch size. */
    public static final int BATCH_SIZE = 64;

    /**
     * What a run measured.
     *
     * @param trainLoss mean training loss per epoch
     * @param validationAccuracy validation accuracy per epoch
     * @param testAccuracy accuracy on test_batch.bin after the last epoch
     */
    public record Result(List<Double> trainLoss, List<Double> validationAccuracy, double testAccuracy) {}

    private Hw2() {}

    /**
     * Trains and evaluates.
     *
     * @param cifar the folder holding {@code cifar-10-batches-bin/}
     * @param epochs epochs
     * @param seed seed of the split, the initial weights and the batch order
     * @param log per-epoch lines, or null
     * @return the result
     * @throws Exception on missing data or a training failure
     */
    public static Result train(Path cifar, int epochs, long seed, PrintStream log) throws Exception {
        DjlRuntime.engine((int) seed);
        Path bin = cifar.resolve("cifar-10-batches-bin");
        List<CifarRecord> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(bin)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin")).sorted().toList()) {
                all.addAll(CifarData.read(f));
            }
        }
        List<CifarRecord> test = CifarData.read(bin.resolve("test_batch.bin"));
        List<List<CifarRecord>> parts = CifarData.split(all, 0.8, seed);
        List<Double> losses = new ArrayList<>();
        List<Double> validation = new ArrayList<>();
        try (Model model = Model.newInstance("hw2")) {
            model.setBlock(SimpleCnn.build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build());
            try (Trainer trainer = model.newTrainer(config); NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                var trainSet = CifarData.toDataset(data, parts.get(0), BATCH_SIZE, true);
                var valSet = CifarData.toDataset(data, parts.get(1), BATCH_SIZE, false);
                var testSet = CifarData.toDataset(data, test, BATCH_SIZE, false);
                for (int e = 1; e <= epochs; e++) {
                    losses.add(Training.trainEpoch(trainer, trainSet));
                    validation.add(Training.evaluate(trainer, valSet));
                    if (log != null) {
                        log.printf("epoch %2d: train loss %.4f, validation accuracy %.4f%n", e, losses.get(e - 1), validation.get(e - 1));
                    }
                }
                double testAccuracy = Training.evaluate(trainer, testSet);
                if (log != null) {
                    log.printf("test accuracy %.4f (%d train, %d validation, %d test images)%n", testAccuracy, parts.get(0).size(),
                            parts.get(1).size(), test.size());
                }
                return new Result(losses, validation, testAccuracy);
            }
        }
    }

    /**
     * {@code java org.dllab.hw.hw2.Hw2 [epochs]}: trains on the CIFAR-10 found through {@code DLLAB_DATA}.
     *
     * @param args optional epoch count (default 15)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, false).resolve(DatasetCatalog.CIFAR10, System.out);
        train(folder, args.length > 0 ? Integer.parseInt(args[0]) : 15, 42, System.out);
    }
}
