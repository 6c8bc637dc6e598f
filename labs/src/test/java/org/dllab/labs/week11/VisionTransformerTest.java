package org.dllab.labs.week11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;

/**
 * Patches are cut in the right order; a batch's activations stay in the batch's manager (no leak
 * into the model's).
 */
class VisionTransformerTest {

    @Test
    void patchifyCutsRowByRowAndFlattensChannelFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img =
                    m.arange(0f, 32f)
                            .reshape(1, 2, 4, 4); // 2 channels of 4x4, values 0..15 and 16..31
            NDArray p = VisionTransformer.patchify(img, 2);
            assertEquals(new Shape(1, 4, 8), p.getShape());
            // patch 0 = top-left 2x2 of channel 0 then of channel 1; patch 1 = top-right
            assertArrayEquals(new float[] {0, 1, 4, 5, 16, 17, 20, 21}, p.get(0, 0).toFloatArray());
            assertArrayEquals(new float[] {2, 3, 6, 7, 18, 19, 22, 23}, p.get(0, 1).toFloatArray());
            assertArrayEquals(
                    new float[] {10, 11, 14, 15, 26, 27, 30, 31}, p.get(0, 3).toFloatArray());
        }
    }

    @Test
    void activationsBelongToTheBatchNotTheModel() {
        DjlRuntime.engine(3);
        try (NDManager model = NDManager.newBaseManager()) {
            VisionTransformer vit = new VisionTransformer(1, 28, 7, 32, 4, 2, 10);
            vit.initialize(model, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ParameterStore ps = new ParameterStore(model, false);
            try (NDManager batch = model.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = batch.randomNormal(new Shape(4, 1, 28, 28));
                NDArray logits = vit.forward(ps, new NDList(x), true).head();
                assertEquals(new Shape(4, 10), logits.getShape());
                // a chain of ops that started from a parameter would live in the model's manager
                // until it closes
                assertSame(
                        batch,
                        logits.getManager(),
                        "the logits (and every activation before them) must close with the batch");
                gc.backward(logits.sum());
            }
            NDArray eval;
            try (NDManager batch = model.newSubManager()) {
                eval =
                        vit.forward(ps, new NDList(batch.ones(new Shape(2, 1, 28, 28))), false)
                                .head();
                NDArray attention = vit.lastAttention();
                assertEquals(
                        new Shape(2, 4, 17, 17),
                        attention.getShape(),
                        "class token + 16 patches, 4 heads");
                assertEquals(1f, attention.get(0, 0, 0).sum().getFloat(), 1e-5f);
                assertSame(batch, eval.getManager());
            }
        }
    }
}
