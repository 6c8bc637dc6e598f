package org.dllab.hw.hw3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The sinusoidal positional encoding of "Attention Is All You Need": position {@code pos}, feature {@code i},
 *
 * <pre>
 *   PE(pos, 2j)     = sin(pos / 10000^(2j / E))
 *   PE(pos, 2j + 1) = cos(pos / 10000^(2j / E))
 * </pre>
 *
 * Fixed, not learned: every position gets a distinct pattern, and nearby positions similar ones.
 */
public final class PositionalEncoding {

    private PositionalEncoding() {}

    /**
     * The table of encodings.
     *
     * @param manager where the array lives
     * @param length positions 0 .. length - 1
     * @param embed E (even)
     * @return (length, E) float32
     */
    public static NDArray table(NDManager manager, int length, int embed) {
        if (embed % 2 != 0) {
            throw new IllegalArgumentException("the sinusoidal encoding needs an even embedding size, got " + embed);
        }
        float[] values = new float[length * embed];
        // TODO(hw3-5): 依上面的公式填 values[pos * embed + i]：偶數 i 用 sin，奇數 i 用 cos，頻率由 2j/E 決定 / fill values[pos * embed + i] by the formula above: sin for even i, cos for odd i, the frequency set by 2j / E
        throw new UnsupportedOperationException("TODO(hw3-5): fill values[pos * embed + i] by the formula above: sin for even i, cos for odd i, the frequency set by 2j / E");
    }
}
