package org.dllab.grading.hw4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.hw.hw4.Hw4;
import org.dllab.hw.hw4.Int8Weights;
import org.dllab.hw.hw4.LoraLinear;
import org.junit.jupiter.api.Test;

/**
 * Homework 4, hidden tests: extreme values, and the whole pipeline on MNIST against the homework's
 * targets.
 */
public class Hw4HiddenTest {

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw4-3", "hw4-4"},
            feedback =
                    "int8 must clip to [-127, 127] and keep the sign; a single-column and a negative-only row included.")
    void extremeRows() {
        Int8Weights q = Int8Weights.quantize(new float[] {-3f, -1.5f, 7f, 1e-8f}, 4, 1);
        assertEquals(-127, q.values()[0]);
        assertEquals(-127, q.values()[1]);
        assertEquals(127, q.values()[2]);
        assertEquals(127, q.values()[3], "a tiny weight alone in its row is its row's maximum");
        assertEquals(-3f, q.dequantize()[0], 1e-6);
    }

    @Test
    @Points(
            value = 8,
            visibility = Visibility.HIDDEN,
            timeoutSeconds = 600,
            blanks = {"hw4-1", "hw4-2", "hw4-3", "hw4-4", "hw4-5"},
            feedback =
                    "On MNIST: LoRA must train at most 5 % of the parameters and come within 3 points of full fine-tuning;"
                            + " int8 must be at least 3.5x smaller and lose at most 1 point.")
    void pipelineMeetsTheTargets() throws Exception {
        DjlRuntime.prepare();
        Path mnist = DataLocations.fromEnvironment(null, true).find(DatasetCatalog.MNIST);
        assertNotNull(mnist, "the grader needs MNIST (DLLAB_DATA)");
        Hw4.Result r = Hw4.run(mnist, 42, 0, null);
        assertTrue(
                r.loraTrainable() <= 0.05 * r.parameters(),
                r.loraTrainable() + " of " + r.parameters() + " parameters trained");
        assertTrue(
                r.loraAccuracy() >= r.fullAccuracy() - 0.03,
                "LoRA " + r.loraAccuracy() + " vs full " + r.fullAccuracy());
        assertTrue(
                r.float32Bytes() >= 3.5 * r.int8Bytes(),
                r.float32Bytes() + " -> " + r.int8Bytes() + " bytes");
        assertTrue(
                r.quantizedAccuracy() >= r.fullAccuracy() - 0.01,
                "int8 " + r.quantizedAccuracy() + " vs float " + r.fullAccuracy());
        assertTrue(r.fullAccuracy() > 0.9, "full fine-tuning reached only " + r.fullAccuracy());
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw4-5"},
            feedback =
                    "LoRA for another rank, alpha and a (batch, tokens, features) input as in the ViT; rank 0 is the plain linear layer.")
    void loraLinearForOtherRanksAndShapes() {
        DjlRuntime.engine(6);
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            LoraLinear layer = new LoraLinear(6, 5, 3, 12f, 0f);
            layer.initialize(m, DataType.FLOAT32, new Shape(2, 4, 6));
            NDArray x = m.randomNormal(new Shape(2, 4, 6));
            NDArray a = layer.adapter()[0].getArray();
            NDArray b = layer.adapter()[1].getArray();
            b.set(m.randomNormal(new Shape(5, 3)).toFloatArray());
            NDArray expected =
                    layer.base()
                            .forward(ps, new NDList(x), false)
                            .head()
                            .add(x.matMul(a.transpose()).matMul(b.transpose()).mul(12f / 3));
            NDArray got = layer.forward(ps, new NDList(x), false).head();
            assertEquals(new Shape(2, 4, 5), got.getShape());
            assertTrue(
                    expected.sub(got).abs().max().getFloat() < 1e-5,
                    "rank 3, alpha 12, input (2, 4, 6)");

            LoraLinear wide = new LoraLinear(256, 4, 8, 16f, 0f);
            wide.initialize(m, DataType.FLOAT32, new Shape(1, 256));
            double std =
                    wide.adapter()[0]
                            .getArray()
                            .toType(DataType.FLOAT64, false)
                            .pow(2)
                            .mean()
                            .sqrt()
                            .getDouble();
            assertEquals(
                    1 / 16.0,
                    std,
                    0.1 / 16,
                    "A starts random with standard deviation 1 / sqrt(in)");

            LoraLinear plain = new LoraLinear(6, 5, 0, 8f, 0f);
            plain.initialize(m, DataType.FLOAT32, new Shape(3, 6));
            assertEquals(2, plain.getParameters().size(), "rank 0: only the base weight and bias");
            assertEquals(0, plain.adapter().length);
            NDArray y = m.randomNormal(new Shape(3, 6));
            assertTrue(
                    plain.base()
                            .forward(ps, new NDList(y), false)
                            .head()
                            .contentEquals(plain.forward(ps, new NDList(y), false).head()),
                    "rank 0 computes exactly the base layer");
            assertEquals(new Shape(3, 5), plain.getOutputShapes(new Shape[] {new Shape(3, 6)})[0]);
        }
    }
}
