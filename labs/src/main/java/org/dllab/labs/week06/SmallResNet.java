package org.dllab.labs.week06;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;

/**
 * A small residual network for 32x32 images: a 3x3 stem, three stages of two residual blocks (16,
 * 32, 64 filters; stages 2 and 3 halve the size with stride 2), global average pooling and 10
 * logits. Each block computes {@code relu(x + F(x))} with {@code F = conv-BN-ReLU-conv-BN}: the
 * identity path lets gradients reach the first layers unchanged (He et al. 2016). Sized for a
 * laptop CPU: 176,378 parameters.
 */
public final class SmallResNet {

    private SmallResNet() {}

    private static Block conv(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .optBias(false)
                .build();
    }

    /**
     * One residual block.
     *
     * @param filters output channels
     * @param stride 1, or 2 to halve the size (the shortcut then uses a 1x1 strided convolution)
     * @param projectShortcut whether the shortcut must change shape
     * @return the block
     */
    public static Block residual(int filters, int stride, boolean projectShortcut) {
        SequentialBlock main =
                new SequentialBlock()
                        .add(conv(filters, stride))
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu)
                        .add(conv(filters, 1))
                        .add(BatchNorm.builder().build());
        Block shortcut =
                projectShortcut
                        ? new SequentialBlock()
                                .add(
                                        Conv2d.builder()
                                                .setKernelShape(new Shape(1, 1))
                                                .optStride(new Shape(stride, stride))
                                                .setFilters(filters)
                                                .optBias(false)
                                                .build())
                                .add(BatchNorm.builder().build())
                        : Blocks.identityBlock();
        return new SequentialBlock()
                .add(
                        new ParallelBlock(
                                outputs ->
                                        new NDList(
                                                outputs.get(0)
                                                        .singletonOrThrow()
                                                        .add(outputs.get(1).singletonOrThrow())),
                                Arrays.asList(main, shortcut)))
                .add(Activation::relu);
    }

    /**
     * Builds the network for CIFAR-10.
     *
     * @return the block (input (N, 3, 32, 32), output (N, 10) logits)
     */
    public static Block build() {
        return build(10);
    }

    /**
     * Builds the network for any number of classes (a final project's).
     *
     * @param classes the number of logits
     * @return the block (input (N, 3, 32, 32), output (N, classes) logits)
     */
    public static Block build(int classes) {
        SequentialBlock net =
                new SequentialBlock()
                        .add(conv(16, 1))
                        .add(BatchNorm.builder().build())
                        .add(Activation::relu);
        int in = 16;
        for (int filters : new int[] {16, 32, 64}) {
            int stride = filters == 16 ? 1 : 2;
            net.add(residual(filters, stride, stride != 1 || in != filters));
            net.add(residual(filters, 1, false));
            in = filters;
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(classes).build());
    }
}
