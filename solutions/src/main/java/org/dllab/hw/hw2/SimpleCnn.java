package org.dllab.hw.hw2;

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
 * The course's CNN: three blocks of (3x3 convolution with padding 1, ReLU, 2x2 max-pool) with 32, 64 and 128
 * filters, then flatten (128 x 4 x 4 = 2048), a 256-unit ReLU layer, dropout 0.5, and 10 logits.
 */
public final class SimpleCnn {

    private SimpleCnn() {}

    /**
     * Builds the network.
     *
     * @return input (N, 3, 32, 32), output (N, 10)
     */
    public static Block build() {
        // BEGIN SOLUTION 依上面的說明組出 SequentialBlock（Conv2d、Activation::relu、Pool.maxPool2dBlock、Linear、Dropout）| build the SequentialBlock described above (Conv2d, Activation::relu, Pool.maxPool2dBlock, Linear, Dropout)
        SequentialBlock net = new SequentialBlock();
        for (int filters : new int[] {32, 64, 128}) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build())
                    .add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        return net.add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(10).build());
        // END SOLUTION
    }
}
