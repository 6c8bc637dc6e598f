package org.dllab.labs.week05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LossesTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void everyLossMatchesItsReferenceOnSeededInputs(long seed) {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            for (LossesLab.Check c : LossesLab.checks(m, seed)) {
                assertTrue(
                        c.difference() <= 1e-5 * Math.max(1, Math.abs(c.reference())),
                        c.toString());
                assertTrue(c.ours() > 0, c.toString());
            }
        }
    }

    @Test
    void stableSoftmaxSurvivesWhereTheNaiveOneOverflows() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1000, 1001, 1002}, new Shape(1, 3));
            float[] naive = Losses.naiveSoftmax(z).toFloatArray();
            float[] stable = Losses.stableSoftmax(z).toFloatArray();
            assertTrue(Float.isNaN(naive[0]));
            assertEquals(0.66524094f, stable[2], 1e-6);
            // huge logits: cross-entropy stays finite
            float ce =
                    Losses.crossEntropy(
                                    m.create(new float[] {5000, 0}, new Shape(1, 2)),
                                    m.create(new long[] {1}))
                            .getFloat();
            assertEquals(5000f, ce, 1e-3);
        }
    }

    @Test
    void klIsCrossEntropyMinusEntropyAndZeroForEqualDistributions() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {0.9f, 0.1f}, new Shape(1, 2));
            NDArray q = m.create(new float[] {0.5f, 0.5f}, new Shape(1, 2));
            double h = Losses.entropy(p).getFloat();
            double ce = -(0.9 * Math.log(0.5) + 0.1 * Math.log(0.5));
            assertEquals(ce - h, Losses.klDivergence(p, q).getFloat(), 1e-6);
            assertEquals(0, Losses.klDivergence(p, p).getFloat(), 1e-7);
            assertEquals(Math.log(2), Losses.entropy(q).getFloat(), 1e-6);
        }
    }

    @Test
    void huberIsQuadraticInsideAndLinearOutside() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.zeros(new Shape(1));
            assertEquals(
                    0.5 * 0.25,
                    Losses.huber(m.create(new float[] {0.5f}), zero, 1f).getFloat(),
                    1e-7);
            assertEquals(
                    3 - 0.5, Losses.huber(m.create(new float[] {-3f}), zero, 1f).getFloat(), 1e-6);
        }
    }
}
