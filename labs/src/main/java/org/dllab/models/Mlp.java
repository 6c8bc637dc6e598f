package org.dllab.models;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The course's MNIST multilayer perceptron (week 5), reused where a lab needs a small trained
 * classifier (optimizers in week 4, compression in week 13, efficient training in week 14):
 *
 * <pre>
 *   image (B, 1, 28, 28) -> flatten (B, 784) -> Linear 256 -> ReLU -> Linear 128 -> ReLU -> Linear 10 (logits)
 * </pre>
 *
 * Softmax lives in the loss. 235,146 parameters.
 */
public final class Mlp {

    private Mlp() {}

    /**
     * A fresh, uninitialised network.
     *
     * @return the block
     */
    public static Block mnist() {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock(28 * 28))
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }
}
