package org.dllab.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * The course's CNN for CIFAR-10 (also homework 2): three blocks of 3x3 convolution (padding 1, so
 * the size is kept) + ReLU + 2x2 max-pool (size halved), with 32, 64 and 128 filters: 3x32x32 ->
 * 32x16x16 -> 64x8x8 -> 128x4x4 = 2048 features; then a 256-unit layer with dropout 0.5 and 10
 * logits. 620,362 parameters.
 */
public final class SimpleCnn {

    private SimpleCnn() {}

    /**
     * Builds the network.
     *
     * @return the block (input (N, 3, 32, 32), output (N, 10) logits)
     */
    public static Block build() {
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {32, 64, 128}) {
            net.add(
                            Conv2d.builder()
                                    .setKernelShape(new Shape(3, 3))
                                    .optPadding(new Shape(1, 1))
                                    .setFilters(filters)
                                    .build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        return net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(10).build());
    }
}
