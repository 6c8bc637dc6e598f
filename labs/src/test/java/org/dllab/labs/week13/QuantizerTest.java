package org.dllab.labs.week13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.labs.week13.Quantizer.Granularity;
import org.dllab.labs.week13.Quantizer.Mode;
import org.junit.jupiter.api.Test;

/** The quantiser on matrices worked by hand, its error bounds, and why DJL's cast is not used. */
class QuantizerTest {

    private static final long[] TWO_BY_THREE = {2, 3};

    @Test
    void symmetricPerChannelByHand() {
        float[] w = {1.27f, -0.634f, 0.2f, 0, 0, 0};
        QuantizedTensor q =
                Quantizer.quantize(w, TWO_BY_THREE, Granularity.PER_CHANNEL, Mode.SYMMETRIC, 8);
        assertArrayEquals(
                new float[] {0.01f, 1}, q.scales(), 1e-9f, "max|w| / 127; a zero row gets scale 1");
        assertArrayEquals(new byte[] {127, -63, 20, 0, 0, 0}, q.values(), "-63.4 rounds to -63");
        assertArrayEquals(new int[] {0, 0}, q.zeroPoints());
        assertEquals(
                6 + 2 * 4, q.bytes(), "6 int8 values and two float scales; no zero points stored");
    }

    @Test
    void asymmetricUsesTheWholeRangeForLopsidedWeights() {
        float[] w = {0, 0.5f, 2.55f}; // all non-negative: symmetric would waste the negative half
        QuantizedTensor a =
                Quantizer.quantize(
                        w, new long[] {1, 3}, Granularity.PER_TENSOR, Mode.ASYMMETRIC, 8);
        assertEquals(0.01f, a.scales()[0], 1e-7f, "(max - min) / 255");
        assertEquals(-128, a.zeroPoints()[0], "0 maps to the lowest level");
        assertArrayEquals(new byte[] {-128, -78, 127}, a.values());
        QuantizedTensor s =
                Quantizer.quantize(w, new long[] {1, 3}, Granularity.PER_TENSOR, Mode.SYMMETRIC, 8);
        assertTrue(
                maxError(w, a) < maxError(w, s),
                "asymmetric is finer here: " + maxError(w, a) + " vs " + maxError(w, s));
    }

    @Test
    void errorsStayWithinHalfAStepAndPerChannelBeatsPerTensor() {
        Random r = new Random(3);
        int rows = 16;
        int cols = 64;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * (1 + i / cols)); // rows of very different sizes
        }
        long[] shape = {rows, cols};
        for (Mode mode : Mode.values()) {
            for (int bits : new int[] {8, 4}) {
                QuantizedTensor q =
                        Quantizer.quantize(w, shape, Granularity.PER_CHANNEL, mode, bits);
                float[] back = q.dequantize();
                for (int i = 0; i < w.length; i++) {
                    assertTrue(
                            Math.abs(back[i] - w[i]) <= q.scales()[i / cols] / 2 + 1e-6,
                            mode + " " + bits + " bits, element " + i);
                }
                QuantizedTensor t =
                        Quantizer.quantize(w, shape, Granularity.PER_TENSOR, mode, bits);
                assertTrue(
                        meanError(w, q) < meanError(w, t),
                        "per channel is more precise when rows differ in size");
            }
        }
        QuantizedTensor four =
                Quantizer.quantize(w, shape, Granularity.PER_CHANNEL, Mode.SYMMETRIC, 4);
        for (byte v : four.values()) {
            assertTrue(v >= -7 && v <= 7);
        }
        assertEquals(rows * cols / 2 + 4 * rows, four.bytes(), "two 4-bit values a byte");
    }

    @Test
    void djlsCastTruncatesAndWrapsWhichIsWhyWeRoundAndClip() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] cast = new byte[3];
            m.create(new float[] {1.9f, -1.9f, 200f})
                    .toType(DataType.INT8, false)
                    .toByteBuffer()
                    .get(cast);
            assertArrayEquals(
                    new byte[] {1, -1, -56},
                    cast,
                    "DJL 0.36 on PyTorch: truncation, and 200 wraps to -56");
        }
        QuantizedTensor q =
                Quantizer.quantize(
                        new float[] {1.9f, -1.9f, 200f},
                        new long[] {1, 3},
                        Granularity.PER_TENSOR,
                        Mode.SYMMETRIC,
                        8);
        assertArrayEquals(
                new byte[] {1, -1, 127},
                q.values(),
                "ours: round(1.9 / (200 / 127)) = 1, and 200 is the top level");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Quantizer.quantize(
                                new float[4],
                                TWO_BY_THREE,
                                Granularity.PER_TENSOR,
                                Mode.SYMMETRIC,
                                8));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Quantizer.quantize(
                                new float[6],
                                TWO_BY_THREE,
                                Granularity.PER_TENSOR,
                                Mode.SYMMETRIC,
                                2));
    }

    private static double maxError(float[] w, QuantizedTensor q) {
        float[] b = q.dequantize();
        double e = 0;
        for (int i = 0; i < w.length; i++) {
            e = Math.max(e, Math.abs(b[i] - w[i]));
        }
        return e;
    }

    private static double meanError(float[] w, QuantizedTensor q) {
        float[] b = q.dequantize();
        double e = 0;
        for (int i = 0; i < w.length; i++) {
            e += Math.abs(b[i] - w[i]);
        }
        return e / w.length;
    }
}
