package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dllab.core.DjlRuntime;
import org.dllab.models.Mlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restored checkpoint reaches the trainer that was made before it: DJL's {@code Model.load} puts
 * new arrays into the parameters while a trainer's parameter store keeps training the old ones, so
 * {@code --resume} would silently start from the initial weights.
 */
class CheckpointTest {

    @TempDir Path tmp;

    @Test
    void restoredWeightsAreTheOnesTheExistingTrainerUses() throws Exception {
        DjlRuntime.engine(1);
        try (Model model = Model.newInstance("net");
                NDManager m = NDManager.newBaseManager()) {
            model.setBlock(Mlp.mnist());
            try (Trainer trainer =
                    model.newTrainer(
                            ClassifierTraining.config(
                                    Loss.softmaxCrossEntropyLoss(),
                                    Optimizer.sgd()
                                            .setLearningRateTracker(Tracker.fixed(0.5f))
                                            .build(),
                                    ai.djl.Device.cpu()))) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                NDArray x = m.randomNormal(new Shape(8, 1, 28, 28));
                NDArray y = m.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7});
                float[] saved = predictions(trainer, x);
                Checkpoint checkpoint = new Checkpoint(model, tmp);
                checkpoint.save(1, "epoch 1");

                for (int i = 0; i < 3; i++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss =
                                trainer.getLoss()
                                        .evaluate(new NDList(y), trainer.forward(new NDList(x)));
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                assertFalse(
                        Arrays.equals(saved, predictions(trainer, x)), "training moved the net");

                checkpoint.restore();
                assertArrayEquals(saved, predictions(trainer, x), 1e-6f);
                trainer.step(); // and it trains on from them (no stale copy left behind)
                Checkpoint again = new Checkpoint(model, tmp.resolve("again"));
                again.save(1, "after restore");
                assertTrue(Files.isRegularFile(tmp.resolve("again/checkpoint/weights.ndlist")));
            }
        }
    }

    @Test
    void weightsOfAnotherModelAreRefusedByName() throws Exception {
        DjlRuntime.engine(1);
        try (Model a = Model.newInstance("a");
                Model b = Model.newInstance("b")) {
            a.setBlock(Mlp.mnist());
            a.getBlock()
                    .initialize(
                            a.getNDManager(),
                            ai.djl.ndarray.types.DataType.FLOAT32,
                            new Shape(1, 1, 28, 28));
            Block other =
                    new ai.djl.nn.SequentialBlock()
                            .add(ai.djl.nn.Blocks.batchFlattenBlock(784))
                            .add(ai.djl.nn.core.Linear.builder().setUnits(10).build());
            b.setBlock(other);
            other.initialize(
                    b.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 784));
            new Checkpoint(a, tmp).save(0, "initial weights");
            IOException e =
                    assertThrows(
                            IOException.class,
                            () ->
                                    Checkpoint.readArraysInPlace(
                                            other,
                                            tmp.resolve("checkpoint").resolve(Checkpoint.ARRAYS)));
            assertTrue(e.getMessage().contains("weights.ndlist"), e.getMessage());
        }
    }

    private static float[] predictions(Trainer trainer, NDArray x) {
        return trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
    }
}
