package org.dllab.labs.week14;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DatasetCatalog;
import org.dllab.models.Mlp;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accumulation equals the large batch; mixed precision trains and scales; a full checkpoint resumes
 * exactly.
 */
class EfficientTrainingTest {

    @TempDir Path tmp;

    private static float[] weightsAfter(int micro, NDArray x, NDArray y) {
        int k = 256 / micro;
        DjlRuntime.engine(9);
        try (Model model = Model.newInstance("m")) {
            model.setBlock(Mlp.mnist());
            Optimizer sgd =
                    Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed(0.1f))
                            .setRescaleGrad(1f / k)
                            .build();
            try (Trainer trainer =
                    model.newTrainer(
                            new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                    .optOptimizer(sgd))) {
                trainer.initialize(new Shape(1, 1, 28, 28));
                for (int step = 0; step < 3; step++) {
                    for (int i = 0; i < k; i++) {
                        try (NDManager m = x.getManager().newSubManager()) {
                            String range = (i * micro) + ":" + ((i + 1) * micro);
                            NDArray xb = x.get(range);
                            NDArray yb = y.get(range);
                            xb.attach(m);
                            yb.attach(m);
                            try (Batch b =
                                    new Batch(
                                            m,
                                            new NDList(xb),
                                            new NDList(yb),
                                            micro,
                                            null,
                                            null,
                                            0,
                                            1)) {
                                EasyTrain.trainBatch(trainer, b);
                            }
                        }
                    }
                    trainer.step();
                }
            }
            List<float[]> parts = new ArrayList<>();
            model.getBlock()
                    .getParameters()
                    .forEach(p -> parts.add(p.getValue().getArray().toFloatArray()));
            int n = parts.stream().mapToInt(a -> a.length).sum();
            float[] out = new float[n];
            int o = 0;
            for (float[] a : parts) {
                System.arraycopy(a, 0, out, o, a.length);
                o += a.length;
            }
            return out;
        }
    }

    @Test
    void fourAccumulatedMicroBatchesGiveTheLargeBatchsUpdate() {
        DjlRuntime.engine(9);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(256, 1, 28, 28));
            NDArray y = m.randomInteger(0, 10, new Shape(256), DataType.INT64);
            float[] large = weightsAfter(256, x, y);
            float[] accumulated = weightsAfter(64, x, y);
            float[] unscaled = weightsAfter(256, x, y);
            assertTrue(
                    EfficientTrainingLab.maxDifference(large, accumulated) < 1e-6,
                    "difference " + EfficientTrainingLab.maxDifference(large, accumulated));
            assertEquals(
                    0,
                    EfficientTrainingLab.maxDifference(large, unscaled),
                    "and the large batch is deterministic");
        }
    }

    @Test
    void bf16IsRefusedOnTheCpuWithTheReason() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MixedPrecision.check(DataType.BFLOAT16, Device.cpu()));
        assertTrue(
                e.getMessage().contains("aborts the JVM") && e.getMessage().contains("fp16"),
                e.getMessage());
        MixedPrecision.check(DataType.FLOAT16, Device.cpu());
        MixedPrecision.check(DataType.BFLOAT16, Device.gpu());
        assertThrows(
                IllegalArgumentException.class,
                () -> MixedPrecision.check(DataType.INT8, Device.cpu()));
    }

    /** A learnable toy problem: the label is the index of the largest of the first ten pixels. */
    private static NDArray[] toy(NDManager m) {
        NDArray x = m.randomNormal(new Shape(512, 784));
        NDArray y = x.get(":, 0:10").argMax(1);
        return new NDArray[] {x, y};
    }

    @Test
    void fp16TrainingLearnsAndTheLossScaleBacksOffFromOverflow() {
        DjlRuntime.engine(2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xy = toy(m);
            List<NDArray> params = PlainMlp.init(m);
            double before = PlainMlp.accuracy(params, xy[0], xy[1]);
            MixedPrecision mp = new MixedPrecision();
            EfficientTrainingLab.train(
                    params,
                    new CheckpointableAdam(1e-3f),
                    mp,
                    DataType.FLOAT16,
                    xy[0],
                    xy[1],
                    0,
                    15,
                    1,
                    0);
            double after = PlainMlp.accuracy(params, xy[0], xy[1]);
            assertEquals(
                    DataType.FLOAT32, params.get(0).getDataType(), "the master weights stay fp32");
            assertTrue(after > before + 0.3, "fp16 training learned: " + before + " -> " + after);
        }
    }

    @Test
    void theLossScaleHalvesOnOverflowAndGrowsBackAfterCleanSteps() {
        MixedPrecision mp = new MixedPrecision();
        assertTrue(!mp.afterBackward(false), "an overflow skips the step");
        assertEquals(MixedPrecision.INITIAL_SCALE / 2, mp.scale());
        mp.afterBackward(false);
        assertEquals(MixedPrecision.INITIAL_SCALE / 4, mp.scale());
        for (int i = 0; i < MixedPrecision.GROWTH_INTERVAL; i++) {
            assertTrue(mp.afterBackward(true));
        }
        assertEquals(
                MixedPrecision.INITIAL_SCALE / 2, mp.scale(), "doubled after a clean interval");
        for (int i = 0; i < 3 * MixedPrecision.GROWTH_INTERVAL; i++) {
            mp.afterBackward(true);
        }
        assertEquals(MixedPrecision.INITIAL_SCALE, mp.scale(), "never above what fp16 holds");
        assertEquals(2, mp.skipped());
    }

    @Test
    void aCheckpointWithTheOptimizerStateResumesExactlyOneWithoutDoesNot() throws Exception {
        DjlRuntime.engine(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xy = toy(m);
            float[] init = flat(PlainMlp.init(m));
            List<NDArray> straight = fromFlat(m, init);
            EfficientTrainingLab.train(
                    straight,
                    new CheckpointableAdam(1e-3f),
                    new MixedPrecision(),
                    DataType.FLOAT32,
                    xy[0],
                    xy[1],
                    0,
                    4,
                    5,
                    0);
            List<NDArray> first = fromFlat(m, init);
            CheckpointableAdam adam = new CheckpointableAdam(1e-3f);
            EfficientTrainingLab.train(
                    first, adam, new MixedPrecision(), DataType.FLOAT32, xy[0], xy[1], 0, 2, 5, 0);
            Path file = tmp.resolve("adam.bin");
            try (DataOutputStream os = new DataOutputStream(Files.newOutputStream(file))) {
                adam.save(os);
            }
            CheckpointableAdam restored = new CheckpointableAdam(1e-3f);
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                restored.load(in, m);
            }
            assertEquals(adam.steps(), restored.steps());
            List<NDArray> weightsOnly = fromFlat(m, flat(first));
            EfficientTrainingLab.train(
                    first,
                    restored,
                    new MixedPrecision(),
                    DataType.FLOAT32,
                    xy[0],
                    xy[1],
                    2,
                    4,
                    5,
                    0);
            EfficientTrainingLab.train(
                    weightsOnly,
                    new CheckpointableAdam(1e-3f),
                    new MixedPrecision(),
                    DataType.FLOAT32,
                    xy[0],
                    xy[1],
                    2,
                    4,
                    5,
                    0);
            assertEquals(
                    0,
                    EfficientTrainingLab.maxDifference(flat(straight), flat(first)),
                    "bit for bit");
            assertTrue(
                    EfficientTrainingLab.maxDifference(flat(straight), flat(weightsOnly)) > 1e-4,
                    "a fresh Adam takes other steps");
        }
    }

    private static float[] flat(List<NDArray> params) {
        int n = params.stream().mapToInt(p -> (int) p.size()).sum();
        float[] out = new float[n];
        int o = 0;
        for (NDArray p : params) {
            float[] a = p.toFloatArray();
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }

    private static List<NDArray> fromFlat(NDManager m, float[] values) {
        List<NDArray> out = new ArrayList<>();
        int o = 0;
        for (int i = 0; i + 1 < PlainMlp.SIZES.length; i++) {
            int in = PlainMlp.SIZES[i];
            int outSize = PlainMlp.SIZES[i + 1];
            out.add(
                    m.create(
                                    java.util.Arrays.copyOfRange(values, o, o + in * outSize),
                                    new Shape(in, outSize))
                            .duplicate());
            o += in * outSize;
            out.add(
                    m.create(
                                    java.util.Arrays.copyOfRange(values, o, o + outSize),
                                    new Shape(outSize))
                            .duplicate());
            o += outSize;
        }
        out.forEach(p -> p.setRequiresGradient(true));
        return out;
    }

    @Test
    void smokeRunOnMnist() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        Map<String, Double> s =
                new EfficientTrainingLab()
                        .run(
                                new RunOptions()
                                        .epochs(2)
                                        .maxBatches(20)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp.resolve("run")),
                                new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .summary();
        assertEquals(0.0, s.get("resume_full_max_difference"), s.toString());
        assertTrue(s.get("resume_weights_only_max_difference") > 0, s.toString());
        assertTrue(s.get("accumulation_max_weight_difference") < 1e-5, s.toString());
        assertTrue(Files.size(tmp.resolve("run/schedule.png")) > 1000);
    }
}
