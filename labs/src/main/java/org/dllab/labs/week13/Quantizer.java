package org.dllab.labs.week13;

/**
 * Post-training quantisation of a weight tensor, written out: per tensor or per output channel,
 * symmetric or asymmetric, 8 or 4 bits, always round-to-nearest then clip.
 *
 * <ul>
 *   <li><b>Symmetric</b>: {@code scale = max|w| / qmax}, {@code q = clip(round(w / scale), -qmax,
 *       qmax)}, zero point 0 (qmax = 127 for 8 bits, 7 for 4). Zero stays exactly zero.
 *   <li><b>Asymmetric</b>: the range [min(w, 0), max(w, 0)] is mapped onto all 2^bits levels,
 *       {@code scale = (max - min) / (2^bits - 1)}, {@code zeroPoint = round(-min / scale) + qmin},
 *       {@code q = clip(round(w / scale) + zeroPoint, qmin, qmax)}: one more level and no wasted
 *       range when the weights are lopsided.
 * </ul>
 *
 * Not DJL's {@code toType(DataType.INT8)}: that cast truncates towards zero and wraps around
 * outside [-128, 127] (measured in {@code QuantizerTest}: 1.9 becomes 1 and 200 becomes -56).
 */
public final class Quantizer {

    /** Granularity: one scale for the tensor, or one per output channel (first axis). */
    public enum Granularity {
        PER_TENSOR,
        PER_CHANNEL
    }

    /** Whether the zero point may move. */
    public enum Mode {
        SYMMETRIC,
        ASYMMETRIC
    }

    private Quantizer() {}

    /**
     * Quantises a tensor.
     *
     * @param w the weights, row-major
     * @param shape their shape; the first axis is the output channel
     * @param granularity per tensor or per channel
     * @param mode symmetric or asymmetric
     * @param bits 8 or 4
     * @return the quantised tensor
     * @throws IllegalArgumentException for other bit widths or a size that does not match the shape
     */
    public static QuantizedTensor quantize(
            float[] w, long[] shape, Granularity granularity, Mode mode, int bits) {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("bits must be 8 or 4, got " + bits);
        }
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != w.length) {
            throw new IllegalArgumentException(
                    w.length + " values for shape " + java.util.Arrays.toString(shape));
        }
        int channels = granularity == Granularity.PER_CHANNEL ? (int) shape[0] : 1;
        int group = w.length / channels;
        int qmax = (1 << (bits - 1)) - 1; // 127 or 7
        int qmin =
                mode == Mode.SYMMETRIC
                        ? -qmax
                        : -qmax - 1; // symmetric keeps the range balanced around 0
        byte[] q = new byte[w.length];
        float[] scales = new float[channels];
        int[] zeros = new int[channels];
        for (int c = 0; c < channels; c++) {
            float lo = 0;
            float hi = 0;
            for (int i = c * group; i < (c + 1) * group; i++) {
                lo = Math.min(lo, w[i]);
                hi = Math.max(hi, w[i]);
            }
            float scale;
            int zero;
            if (mode == Mode.SYMMETRIC) {
                scale = Math.max(-lo, hi) / qmax;
                zero = 0;
            } else {
                scale = (hi - lo) / (qmax - qmin);
                zero = scale == 0 ? 0 : Math.round(-lo / scale) + qmin;
            }
            if (scale == 0) {
                scale = 1; // an all-zero channel: any scale reproduces it
            }
            scales[c] = scale;
            zeros[c] = zero;
            for (int i = c * group; i < (c + 1) * group; i++) {
                q[i] =
                        (byte)
                                Math.max(
                                        qmin,
                                        Math.min(
                                                qmax,
                                                (int) Math.rint(w[i] / scale)
                                                        + zero)); // half to even, as torch.round
            }
        }
        return new QuantizedTensor(q, scales, zeros, shape.clone(), bits);
    }
}
