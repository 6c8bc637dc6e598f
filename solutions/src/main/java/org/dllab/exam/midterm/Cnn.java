package org.dllab.exam.midterm;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The network: two 3x3 convolutions (8 and 16 filters), each keeping the image size and followed by 2x2 max-pooling
 * (28 -> 14 -> 7), then dropout and a linear layer on the 16 x 7 x 7 features.
 */
public final class Cnn {

    /** Values per image after the convolutions: 16 channels of 7 x 7. */
    public static final int FEATURES = 16 * 7 * 7;

    private Cnn() {}

    /**
     * The whole network.
     *
     * @param dropout the dropout rate before the classifier
     * @return the uninitialised network, (B, 1, 28, 28) -> (B, 10)
     */
    public static SequentialBlock build(float dropout) {
        return new SequentialBlock().add(features()).add(flatten()).add(new InvertedDropout(dropout)).add(Linear.builder().setUnits(10).build());
    }

    /**
     * The convolutional part.
     *
     * @return (B, 1, 28, 28) -> (B, 16, 7, 7)
     */
    public static SequentialBlock features() {
        SequentialBlock net = new SequentialBlock();
        // BUG cnn-padding
        // en: A 3x3 convolution keeps the image size only with padding 1 and stride 1 (out = (in + 2p - k) / s + 1); without padding or with stride 2 the feature map is no longer 7 x 7 and the flatten size is wrong (a shape error).
        // zh: 3x3 卷積要 padding 1、stride 1 才會維持影像大小（out = (in + 2p - k) / s + 1）；沒有 padding 或 stride 2 時特徵圖不再是 7 x 7，攤平的大小就錯了（形狀錯誤）。
        net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build());
        // VARIANT no-padding: the first convolution has no padding
        // > net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).build());
        // VARIANT stride-two: the first convolution moves two pixels at a time
        // > net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).setFilters(8).build());
        // END BUG
        net.add(Activation::relu);
        net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build());
        net.add(Activation::relu);
        net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        return net;
    }

    /**
     * One row of {@link #FEATURES} values per image.
     *
     * @return (B, 16, 7, 7) -> (B, 784)
     */
    public static Block flatten() {
        // BUG flatten
        // en: Flattening keeps the batch axis first and multiplies out the rest (channels of the last convolution x height x width); a wrong size or the axes swapped mixes values of different images into one row.
        // zh: 攤平時批次軸留在最前面，其餘維度相乘（最後一層卷積的通道數 x 高 x 寬）；大小算錯或軸對調，會把不同影像的數值混進同一列。
        return new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, FEATURES)), "flatten");
        // VARIANT first-channels: the size uses the first convolution's 8 channels
        // > return new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(-1, 8 * 7 * 7)), "flatten");
        // VARIANT features-first: the feature axis is put first
        // > return new LambdaBlock(x -> new NDList(x.singletonOrThrow().reshape(FEATURES, -1)), "flatten");
        // END BUG
    }
}
