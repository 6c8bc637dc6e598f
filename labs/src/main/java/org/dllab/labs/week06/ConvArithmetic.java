package org.dllab.labs.week06;

/**
 * The size of a convolution's (or pooling's) output, as on the course slides: {@code out =
 * floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1}, which for dilation 1 is
 * {@code floor((in + 2p - k) / s) + 1}.
 */
public final class ConvArithmetic {

    private ConvArithmetic() {}

    /**
     * Output size along one axis.
     *
     * @param in input size
     * @param kernel kernel size
     * @param padding zeros added on each side
     * @param stride step
     * @param dilation spacing of the kernel taps (1 = ordinary)
     * @return output size
     * @throws IllegalArgumentException when the kernel does not fit
     */
    public static int outputSize(int in, int kernel, int padding, int stride, int dilation) {
        int span = dilation * (kernel - 1) + 1;
        if (in + 2 * padding < span || stride < 1) {
            throw new IllegalArgumentException(
                    "kernel span "
                            + span
                            + " does not fit input "
                            + in
                            + " with padding "
                            + padding);
        }
        return Math.floorDiv(in + 2 * padding - span, stride) + 1;
    }

    /**
     * Parameters of a convolution layer: {@code out * (in * k * k) + out} biases.
     *
     * @param inChannels input channels
     * @param outChannels filters
     * @param kernel kernel size
     * @param bias whether it has biases
     * @return the count
     */
    public static long parameters(int inChannels, int outChannels, int kernel, boolean bias) {
        return (long) outChannels * inChannels * kernel * kernel + (bias ? outChannels : 0);
    }
}
