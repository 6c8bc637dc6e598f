package org.dllab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.data.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrained image backbone's loader on an ONNX checkpoint the test writes (a 3x3 convolution,
 * ReLU, global average pooling), against the same network computed by DJL's PyTorch engine from the
 * same weights.
 */
class OnnxImageEncoderTest {

    static final int SIDE = 16;
    static final int FILTERS = 8;

    @TempDir static Path tmp;
    static Path checkpoint;
    static float[] weight;
    static float[] bias;

    @BeforeAll
    static void writeCheckpoint() throws IOException {
        DjlRuntime.prepare();
        Random r = new Random(7);
        weight = new float[FILTERS * 3 * 9];
        bias = new float[FILTERS];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) r.nextGaussian() * 0.3f;
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) r.nextGaussian() * 0.1f;
        }
        checkpoint = tmp.resolve("backbone.onnx");
        new OnnxModelWriter()
                .initializer("conv.weight", new long[] {FILTERS, 3, 3, 3}, weight)
                .initializer("conv.bias", new long[] {FILTERS}, bias)
                .initializer("shape", new long[] {0, FILTERS, -1})
                .node(
                        "Conv",
                        List.of("pixel_values", "conv.weight", "conv.bias"),
                        List.of("conv"),
                        Map.of("kernel_shape", new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}))
                .node("Relu", List.of("conv"), List.of("feature_map"), Map.of())
                .node("GlobalAveragePool", List.of("feature_map"), List.of("gap"), Map.of())
                .node("Flatten", List.of("gap"), List.of("pooler_output"), Map.of("axis", 1L))
                .node("Reshape", List.of("feature_map", "shape"), List.of("flat"), Map.of())
                .node(
                        "Transpose",
                        List.of("flat"),
                        List.of("tokens"),
                        Map.of("perm", new long[] {0, 2, 1}))
                .input("pixel_values", "batch", 3L, (long) SIDE, (long) SIDE)
                .output(
                        "feature_map",
                        "batch",
                        (long) FILTERS,
                        (long) SIDE,
                        (long) SIDE) // first, so that the default must find pooler_output
                .output("tokens", "batch", (long) SIDE * SIDE, (long) FILTERS)
                .output("pooler_output", "batch", (long) FILTERS)
                .write(checkpoint);
    }

    static ImageSet images(int n) {
        byte[] pixels = new byte[n * 3 * SIDE * SIDE];
        new Random(11).nextBytes(pixels);
        return new ImageSet(pixels, new byte[n], 3, SIDE, SIDE, List.of("a"));
    }

    /** DJL's convolution, ReLU: (N, FILTERS, SIDE, SIDE) as rows of floats. */
    static float[] referenceFeatureMap(NDManager m, ImageSet set) {
        NDArray x = set.toArray(m, OnnxImageEncoder.IMAGENET_MEAN, OnnxImageEncoder.IMAGENET_STD);
        NDArray w = m.create(weight, new Shape(FILTERS, 3, 3, 3));
        NDArray b = m.create(bias);
        return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow()
                .maximum(0f)
                .toFloatArray();
    }

    @Test
    void featuresEqualTheSameNetworkInDjlForEachKindOfOutput() throws IOException {
        ImageSet set = images(5);
        float[] map;
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            map = referenceFeatureMap(m, set);
        }
        int plane = SIDE * SIDE;
        try (OnnxImageEncoder pooled = OnnxImageEncoder.load(checkpoint, null);
                OnnxImageEncoder averaged = OnnxImageEncoder.load(checkpoint, "feature_map");
                OnnxImageEncoder firstToken = OnnxImageEncoder.load(checkpoint, "tokens")) {
            assertEquals("pooler_output", pooled.outputName());
            assertEquals(SIDE, pooled.side());
            float[][] a =
                    pooled.features(
                            set,
                            OnnxImageEncoder.IMAGENET_MEAN,
                            OnnxImageEncoder.IMAGENET_STD,
                            2); // 2+2+1: a short last batch
            float[][] b =
                    averaged.features(
                            set, OnnxImageEncoder.IMAGENET_MEAN, OnnxImageEncoder.IMAGENET_STD, 3);
            float[][] c =
                    firstToken.features(
                            set, OnnxImageEncoder.IMAGENET_MEAN, OnnxImageEncoder.IMAGENET_STD, 5);
            double maxDiff = 0;
            for (int i = 0; i < 5; i++) {
                assertEquals(FILTERS, a[i].length);
                for (int f = 0; f < FILTERS; f++) {
                    double mean = 0;
                    for (int k = 0; k < plane; k++) {
                        mean += map[(i * FILTERS + f) * plane + k];
                    }
                    mean /= plane;
                    maxDiff = Math.max(maxDiff, Math.abs(a[i][f] - mean));
                    maxDiff = Math.max(maxDiff, Math.abs(b[i][f] - mean));
                    maxDiff =
                            Math.max(
                                    maxDiff,
                                    Math.abs(
                                            c[i][f]
                                                    - map[
                                                            (i * FILTERS + f)
                                                                    * plane])); // token 0 = pixel
                    // (0, 0)
                }
            }
            assertTrue(maxDiff < 1e-5, "max |ONNX Runtime - DJL| = " + maxDiff);
            assertTrue(Math.abs(a[0][0] - a[1][0]) > 1e-3, "different images, different features");
        }
    }

    @Test
    void badCheckpointsAndImagesAreClearErrors() throws IOException {
        IOException missing =
                assertThrows(
                        IOException.class,
                        () -> OnnxImageEncoder.load(tmp.resolve("absent.onnx"), null));
        assertTrue(missing.getMessage().contains("is not an .onnx file"), missing.getMessage());
        Path garbage = Files.writeString(tmp.resolve("garbage.onnx"), "not a model");
        IOException broken =
                assertThrows(IOException.class, () -> OnnxImageEncoder.load(garbage, null));
        assertTrue(
                broken.getMessage().contains("ONNX Runtime cannot load it"), broken.getMessage());
        IOException noOutput =
                assertThrows(IOException.class, () -> OnnxImageEncoder.load(checkpoint, "logits"));
        assertTrue(
                noOutput.getMessage()
                        .contains(
                                "no output 'logits'; its outputs: [feature_map, tokens, pooler_output]"),
                noOutput.getMessage());
        Path text = tmp.resolve("text.onnx");
        new OnnxModelWriter()
                .node("Relu", List.of("ids"), List.of("out"), Map.of())
                .input("ids", "batch", 7L)
                .output("out", "batch", 7L)
                .write(text);
        IOException notImages =
                assertThrows(IOException.class, () -> OnnxImageEncoder.load(text, null));
        assertTrue(
                notImages.getMessage().contains("not images (batch, 3, height, width)"),
                notImages.getMessage());
        try (OnnxImageEncoder e = OnnxImageEncoder.load(checkpoint, null)) {
            ImageSet small = new ImageSet(new byte[3 * 8 * 8], new byte[1], 3, 8, 8, List.of("a"));
            IllegalArgumentException wrongSize =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    e.features(
                                            small,
                                            OnnxImageEncoder.IMAGENET_MEAN,
                                            OnnxImageEncoder.IMAGENET_STD,
                                            4));
            assertTrue(
                    wrongSize.getMessage().contains("read them at side 16"),
                    wrongSize.getMessage());
        }
    }
}
