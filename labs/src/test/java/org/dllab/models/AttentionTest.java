package org.dllab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;

/**
 * The hand-written attention against DJL's ScaledDotProductAttentionBlock and against the formula,
 * seeded inputs.
 */
class AttentionTest {

    @Test
    void multiHeadMatchesDjlsBlockWithAPaddingMask() {
        DjlRuntime.engine(11);
        try (NDManager m = NDManager.newBaseManager()) {
            int e = 16;
            ScaledDotProductAttentionBlock djl =
                    ScaledDotProductAttentionBlock.builder()
                            .setEmbeddingSize(e)
                            .setHeadCount(4)
                            .optAttentionProbsDropoutProb(0f)
                            .build();
            djl.initialize(m, DataType.FLOAT32, new Shape(2, 5, e));
            NDArray x = m.randomNormal(new Shape(2, 5, e));
            NDArray mask = m.create(new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 5));
            // DJL takes a (B, T, F) mask: every query sees the same keys
            NDArray djlMask = mask.expandDims(1).broadcast(2, 5, 5);
            NDArray expected =
                    djl.forward(new ParameterStore(m, false), new NDList(x, djlMask), false).head();
            NDList ours =
                    Attention.multiHead(
                            x, Attention.paddingOffset(mask), 4, Attention.weightsOf(djl));
            assertArrayEquals(expected.toFloatArray(), ours.get(0).toFloatArray(), 1e-5f);
            float[] weights = ours.get(1).toFloatArray(); // (2, 4, 5, 5)
            for (int q = 0; q < 5; q++) {
                assertEquals(0f, weights[q * 5 + 3], 0f, "padding keys get no weight");
                assertEquals(
                        1f,
                        weights[q * 5] + weights[q * 5 + 1] + weights[q * 5 + 2],
                        1e-5f,
                        "weights sum to 1 over real keys");
            }
        }
    }

    @Test
    void scaledDotProductFollowsTheFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0}, new Shape(1, 2));
            NDArray k = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray v = m.create(new float[] {10, 20}, new Shape(2, 1));
            NDList r = Attention.scaledDotProduct(q, k, v, null);
            double a = Math.exp(1 / Math.sqrt(2));
            double p0 = a / (a + 1);
            assertEquals(p0, r.get(1).toFloatArray()[0], 1e-6);
            assertEquals(10 * p0 + 20 * (1 - p0), r.get(0).toFloatArray()[0], 1e-5);
        }
    }

    @Test
    void layerNormHasZeroMeanAndUnitVariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 6}, new Shape(1, 4));
            float[] y =
                    Attention.layerNorm(x, m.ones(new Shape(4)), m.zeros(new Shape(4)))
                            .toFloatArray();
            assertEquals(0, y[0] + y[1] + y[2] + y[3], 1e-5);
            assertEquals(4, y[0] * y[0] + y[1] * y[1] + y[2] * y[2] + y[3] * y[3], 1e-3);
        }
    }
}
