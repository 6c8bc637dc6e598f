package org.dllab.grading.hw4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.grading.Points;
import org.dllab.hw.hw4.Finetuning;
import org.dllab.hw.hw4.Hw4;
import org.dllab.hw.hw4.Int8Weights;
import org.dllab.hw.hw4.LoraLinear;
import org.dllab.hw.hw4.Quantization;
import org.dllab.hw.hw4.TinyVit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Homework 4, public tests: the adapter's formula, what trains, and int8 round trips. */
public class Hw4PublicTest {

    private NDManager m;

    @BeforeEach
    void open() {
        DjlRuntime.engine(4);
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private static NDArray param(ai.djl.nn.Block b, String suffix) {
        for (var p : b.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw4-5"},
            feedback =
                    "y = base(x) + (alpha / r) x A^T B^T; with B = 0 the layer equals its base; no dropout in evaluation mode.")
    void loraLinearFollowsTheFormula() {
        LoraLinear layer = new LoraLinear(6, 5, 2, 4f, 0.5f);
        layer.initialize(m, DataType.FLOAT32, new Shape(3, 6));
        NDArray x = m.randomNormal(new Shape(3, 6));
        ParameterStore ps = new ParameterStore(m, false);
        NDArray base = layer.base().forward(ps, new NDList(x), false).head();
        NDArray fresh = layer.forward(ps, new NDList(x), false).head();
        assertTrue(
                fresh.sub(base).abs().max().getFloat() < 1e-6,
                "B starts at 0: a fresh adapter must change nothing");
        param(layer, "lora_b").set(m.randomNormal(new Shape(5, 2)).toFloatArray());
        NDArray a = param(layer, "lora_a");
        NDArray b = param(layer, "lora_b");
        NDArray expected = base.add(x.matMul(a.transpose()).matMul(b.transpose()).mul(4f / 2));
        NDArray got = layer.forward(ps, new NDList(x), false).head();
        assertTrue(
                expected.sub(got).abs().max().getFloat() < 1e-5,
                "evaluation mode: base + (alpha / r) x A^T B^T");
        NDArray trained = layer.forward(ps, new NDList(x), true).head();
        assertTrue(
                expected.sub(trained).abs().max().getFloat() > 1e-4,
                "dropout 0.5 on the adapter's input must act in training");
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw4-1", "hw4-2"},
            feedback =
                    "LoRA trains the adapters' A and B and the head only: count the parameters that require a gradient.")
    void loraTrainsAFewPercent() {
        TinyVit vit = new TinyVit(16, 2, 2, 5, 2, 4f, 0f);
        vit.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        Finetuning.trainOnlyAdaptersAndHead(vit);
        long adapters =
                2 * 4 * (2 * 16 + 16 * 2); // 2 layers x (query, key, value, output) x (A + B)
        long head = 16 * 5 + 5;
        assertEquals(
                adapters + head,
                Finetuning.trainableParameters(vit),
                "A and B of every adapted layer, and the head");
        Finetuning.trainAllButAdapters(vit);
        assertEquals(
                Finetuning.allParameters(vit) - adapters,
                Finetuning.trainableParameters(vit),
                "everything but the adapters");
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw4-1", "hw4-5"},
            feedback =
                    "After LoRA training steps, the frozen base weights must be unchanged and the adapters and head changed.")
    void loraTrainingChangesOnlyAdaptersAndHead() throws Exception {
        try (Model model = Model.newInstance("lora")) {
            TinyVit vit = new TinyVit(16, 2, 1, 5, 2, 4f, 0f);
            model.setBlock(vit);
            try (Trainer t =
                    model.newTrainer(
                            new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                    .optOptimizer(
                                            Optimizer.adam()
                                                    .optLearningRateTracker(Tracker.fixed(1e-2f))
                                                    .build()))) {
                t.initialize(new Shape(1, 1, 28, 28));
                Finetuning.trainOnlyAdaptersAndHead(vit);
                float[] ffn = param(vit, "layer0_ffn1_weight").toFloatArray();
                float[] queryBase = param(vit, "base_weight").toFloatArray();
                float[] headBefore = param(vit, "head_weight").toFloatArray();
                Random r = new Random(5);
                float[] px = new float[16 * 784];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) r.nextGaussian();
                }
                long[] labels = new long[16];
                for (int i = 0; i < 16; i++) {
                    labels[i] = i % 5;
                }
                ArrayDataset ds =
                        new ArrayDataset.Builder()
                                .setData(m.create(px, new Shape(16, 1, 28, 28)))
                                .optLabels(m.create(labels))
                                .setSampling(8, false)
                                .build();
                for (int step = 0; step < 3; step++) {
                    for (Batch b : t.iterateDataset(ds)) {
                        EasyTrain.trainBatch(t, b);
                        t.step();
                        b.close();
                    }
                }
                assertArrayEquals(
                        ffn,
                        param(vit, "layer0_ffn1_weight").toFloatArray(),
                        "a frozen weight changed");
                assertArrayEquals(
                        queryBase,
                        param(vit, "base_weight").toFloatArray(),
                        "the frozen base of an adapted layer changed");
                assertTrue(
                        param(vit, "lora_b").abs().max().getFloat() > 0,
                        "the adapters did not train (B is still 0)");
                assertTrue(
                        !java.util.Arrays.equals(
                                headBefore, param(vit, "head_weight").toFloatArray()),
                        "the head did not train");
            }
        }
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw4-3"},
            feedback =
                    "Per row: scale = max|w| / 127 (1 for a zero row); q = clip(round(w / scale), -127, 127).")
    void quantizeHandMadeMatrix() {
        float[] w = {0.5f, -1.27f, 0.01f, 0.3f, 0f, 0f, 0f, 0f, 2.54f, 1.0f, -0.02f, -2.54f};
        Int8Weights q = Int8Weights.quantize(w, 3, 4);
        assertArrayEquals(
                new float[] {0.01f, 1f, 0.02f},
                q.scales(),
                1e-7f,
                "one scale per row; a row of zeros gets 1");
        assertArrayEquals(new byte[] {50, -127, 1, 30, 0, 0, 0, 0, 127, 50, -1, -127}, q.values());
        assertEquals(12 + 3 * 4, q.bytes());
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw4-3", "hw4-4"},
            feedback =
                    "Dequantised weights must lie within half a step (scale / 2) of the originals.")
    void roundTripIsWithinHalfAStep() {
        Random r = new Random(9);
        int rows = 8;
        int cols = 33;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * (1 + i / cols)); // rows of different ranges
        }
        Int8Weights q = Int8Weights.quantize(w, rows, cols);
        float[] back = q.dequantize();
        for (int i = 0; i < w.length; i++) {
            float scale = q.scales()[i / cols];
            assertTrue(
                    Math.abs(back[i] - w[i]) <= scale / 2 + 1e-6,
                    "element " + i + ": " + w[i] + " -> " + back[i]);
        }
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw4-3", "hw4-4"},
            feedback =
                    "Quantising the whole model: each linear layer's weight matrix becomes its int8 round trip"
                            + " (one scale per output row); biases, norms, the class token, positions and the adapters stay as they were.")
    void quantizingTheModelReplacesOnlyLinearWeights() {
        TinyVit vit = new TinyVit(16, 2, 1, 5, 2, 4f, 0f);
        vit.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        assertEquals(
                new Shape(2, 5), vit.getOutputShapes(new Shape[] {new Shape(2, 1, 28, 28)})[0]);
        Map<String, float[]> before = Hw4.weights(vit);
        Quantization.Report report = Quantization.quantize(vit);
        // counted by hand: 4,741 parameters, of which 3,936 in the eight linear weight matrices
        // (patch 16x49, query, key, value and output 16x16 each, ffn1 64x16, ffn2 16x64, head
        // 5x16) with 165 rows between them
        assertEquals(4 * 4_741, report.float32Bytes(), "4 bytes a parameter before");
        assertEquals(
                4 * (4_741 - 3_936) + 3_936 + 4 * 165,
                report.quantizedBytes(),
                "after: 1 byte a matrix weight and 4 a row's scale; everything else 4 bytes");
        assertEquals(
                report.float32Bytes() / (double) report.quantizedBytes(), report.ratio(), 1e-12);
        assertEquals(
                8, report.weights().size(), "eight weight matrices: " + report.weights().keySet());
        for (var p : vit.getParameters()) {
            float[] now = p.getValue().getArray().toFloatArray();
            Int8Weights q = report.weights().get(p.getKey());
            if (q == null) {
                assertArrayEquals(
                        before.get(p.getKey()),
                        now,
                        p.getKey() + " is not a linear weight: it must not change");
            } else {
                assertArrayEquals(
                        q.dequantize(), now, p.getKey() + " must hold its dequantised int8 values");
                assertEquals(
                        p.getValue().getArray().getShape().get(0),
                        q.rows(),
                        p.getKey() + ": one scale per output row");
            }
        }
    }

    @Test
    @Points(
            value = 1,
            blanks = {"hw4-5"},
            feedback =
                    "Given the base model's weights, a fresh LoRA model (B = 0) must compute exactly the base model's logits:"
                            + " fine-tuning starts where pretraining ended.")
    void freshLoraModelStartsAtTheBaseModel() {
        TinyVit base = new TinyVit(16, 2, 2, 5, 0, 4f, 0f);
        base.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        TinyVit lora = new TinyVit(16, 2, 2, 5, 2, 4f, 0.1f);
        lora.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        Hw4.copyWeights(Hw4.weights(base), lora);
        NDArray x = m.randomNormal(new Shape(3, 1, 28, 28));
        ParameterStore ps = new ParameterStore(m, false);
        NDArray expected = base.forward(ps, new NDList(x), false).head();
        NDArray got = lora.forward(ps, new NDList(x), false).head();
        assertTrue(
                expected.sub(got).abs().max().getFloat() < 1e-6,
                "the LoRA model's logits differ from the base model's before any training");
    }
}
