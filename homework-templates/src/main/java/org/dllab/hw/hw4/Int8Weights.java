package org.dllab.hw.hw4;

/**
 * A weight matrix stored as int8 with one float scale per output channel (row), symmetric around 0:
 *
 * <pre>
 *   scale[r] = max_c |W[r][c]| / 127          (1 for a row of zeros)
 *   q[r][c]  = clip(round(W[r][c] / scale[r]), -127, 127)
 *   W'[r][c] = q[r][c] * scale[r]              the dequantised weight, within scale[r] / 2 of W
 * </pre>
 *
 * Per channel, because rows differ in range: one scale for the whole matrix would waste most of the 255 levels on
 * the rows with small weights. (DJL's float-to-int8 cast truncates and wraps around: it cannot be used for this.)
 *
 * @param values q, row-major, rows x cols
 * @param scales one per row
 * @param rows output channels
 * @param cols input features
 */
public record Int8Weights(byte[] values, float[] scales, int rows, int cols) {

    /**
     * Quantises a matrix.
     *
     * @param w the float weights, row-major (rows x cols)
     * @param rows output channels
     * @param cols input features
     * @return the int8 weights and their scales
     */
    public static Int8Weights quantize(float[] w, int rows, int cols) {
        if (w.length != rows * cols) {
            throw new IllegalArgumentException(w.length + " weights for a " + rows + " x " + cols + " matrix");
        }
        byte[] q = new byte[w.length];
        float[] scales = new float[rows];
        // TODO(hw4-3): 每一列：找最大絕對值求 scale（全為 0 時 scale 取 1）；每個元素除以 scale、四捨五入（Math.round）、限制在 [-127, 127] / per row: the largest absolute value gives the scale (1 for a row of zeros); divide each element by it, round (Math.round), clip to [-127, 127]
        throw new UnsupportedOperationException("TODO(hw4-3): per row: the largest absolute value gives the scale (1 for a row of zeros); divide each element by it, round (Math.round), clip to [-127, 127]");
    }

    /**
     * The float weights the int8 ones stand for.
     *
     * @return W', row-major
     */
    public float[] dequantize() {
        float[] w = new float[values.length];
        // TODO(hw4-4): 每個元素 = q 乘以它那一列的 scale / each element = q times its row's scale
        throw new UnsupportedOperationException("TODO(hw4-4): each element = q times its row's scale");
    }

    /**
     * Storage size.
     *
     * @return one byte per weight plus four per scale
     */
    public long bytes() {
        return values.length + 4L * scales.length;
    }
}
