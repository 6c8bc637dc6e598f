package org.dllab.labs.week13;

/**
 * A weight tensor stored as small integers: {@code w ~ scale * (q - zeroPoint)}, with one scale and
 * zero point for the whole tensor or one per output channel (row of a {@code (out, in)} matrix,
 * filter of a convolution).
 *
 * @param values the integers, row-major, each in [{@code min}, {@code max}]
 * @param scales one per channel (or one)
 * @param zeroPoints one per channel (or one); all 0 for symmetric quantisation
 * @param shape the original shape
 * @param bits 8 or 4
 */
public record QuantizedTensor(
        byte[] values, float[] scales, int[] zeroPoints, long[] shape, int bits) {

    /**
     * How many channels share one scale's elements.
     *
     * @return elements per scale
     */
    public int groupSize() {
        return values.length / scales.length;
    }

    /**
     * Storage in bytes: the integers packed at {@code bits} each, a float32 scale per channel, and
     * an int8 zero point per channel when any is non-zero.
     *
     * @return bytes
     */
    public long bytes() {
        boolean asymmetric = false;
        for (int z : zeroPoints) {
            asymmetric |= z != 0;
        }
        return ((long) values.length * bits + 7) / 8
                + 4L * scales.length
                + (asymmetric ? zeroPoints.length : 0);
    }

    /**
     * Back to floats: {@code scale * (q - zeroPoint)}.
     *
     * @return the dequantised values, row-major
     */
    public float[] dequantize() {
        float[] out = new float[values.length];
        int group = groupSize();
        for (int i = 0; i < out.length; i++) {
            int c = i / group;
            out[i] = scales[c] * (values[i] - zeroPoints[c]);
        }
        return out;
    }
}
