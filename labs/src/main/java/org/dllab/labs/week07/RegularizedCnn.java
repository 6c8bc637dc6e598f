package org.dllab.labs.week07;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * A small CNN with switchable regularisers: two conv blocks (32 and 64 filters, 3x3, 2x2 max-pool,
 * optional batch norm after each convolution) and a 256-unit hidden layer (optional dropout 0.5
 * before the logits). Large enough to memorise 1,000 CIFAR images.
 */
public final class RegularizedCnn {

    private RegularizedCnn() {}

    /**
     * Builds the network.
     *
     * @param dropout add dropout 0.5 before the output layer
     * @param batchNorm add batch norm after each convolution
     * @return the block (input (N, 3, 32, 32), output (N, 10))
     */
    public static Block build(boolean dropout, boolean batchNorm) {
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {32, 64}) {
            net.add(
                    Conv2d.builder()
                            .setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1))
                            .setFilters(filters)
                            .build());
            if (batchNorm) {
                net.add(BatchNorm.builder().build());
            }
            net.add(Activation::relu).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu);
        if (dropout) {
            net.add(Dropout.builder().optRate(0.5f).build());
        }
        return net.add(Linear.builder().setUnits(10).build());
    }
}
