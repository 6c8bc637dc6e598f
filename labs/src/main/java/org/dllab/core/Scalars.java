package org.dllab.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd. Use these instead of {@code x.mul(2f)},
 * {@code x.div(c)}, {@code x.maximum(0f)} or {@code x.pow(2)} wherever the result is
 * differentiated.
 *
 * <p>Why: on the CPU, DJL 0.36's PyTorch engine turns the number into a one-element tensor whose
 * memory is a Java direct buffer, runs the operation and closes that tensor at once. Autograd keeps
 * the tensor for the backward pass (the gradient of {@code x * c} needs {@code c}), but nothing
 * keeps the Java buffer: after the next garbage collection it is freed and reused, and the backward
 * pass multiplies by whatever lies there. Measured ({@code ScalarsTest}): with a garbage collection
 * between forward and backward, the gradient of {@code x.mul(3f)} came out as 1.8e-19 or -7.9e6 in
 * 200 of 200 tries; with {@link #mul} it was 3 in all. In training this shows as runs that diverge
 * to NaN now and then, or reach a different accuracy with the same seed. (Addition and subtraction
 * of a number are safe: their gradients do not read it.)
 *
 * <p>The constants made here are created by libtorch itself ({@code full}, {@code clone}), so
 * autograd owns them.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A zero-dimensional tensor holding {@code value}, in {@code like}'s manager and data type,
     * owned by libtorch.
     *
     * @param like decides manager, device and data type
     * @param value the constant
     * @return the constant as a tensor
     */
    public static NDArray of(NDArray like, double value) {
        NDManager manager = like.getManager();
        DataType type = like.getDataType();
        if (type == DataType.FLOAT64) { // full() takes a float; keep all 53 bits
            try (NDArray boxed = manager.create(value)) {
                return boxed.duplicate(); // a clone: libtorch's own memory
            }
        }
        return manager.full(new Shape(), (float) value, type);
    }

    /**
     * {@code x * c}.
     *
     * @param x the array
     * @param c the constant
     * @return the product
     */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    /**
     * {@code x / c}.
     *
     * @param x the array
     * @param c the constant
     * @return the quotient
     */
    public static NDArray div(NDArray x, double c) {
        return x.div(of(x, c));
    }

    /**
     * {@code max(x, c)} element-wise (e.g. ReLU with c = 0).
     *
     * @param x the array
     * @param c the constant
     * @return the maximum
     */
    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(of(x, c));
    }

    /**
     * {@code x ^ c} element-wise.
     *
     * @param x the array
     * @param c the exponent
     * @return the power
     */
    public static NDArray pow(NDArray x, double c) {
        return x.pow(of(x, c));
    }
}
