package org.dllab.labs.week04;

import ai.djl.ndarray.NDArray;
import org.dllab.core.Scalars;

/**
 * The Rosenbrock function {@code f(x, y) = (1 - x)^2 + 100 (y - x^2)^2}: a long, curved,
 * flat-bottomed valley with its minimum 0 at (1, 1). Easy to find, slow to follow: the classic test
 * of an optimizer.
 */
public final class Rosenbrock {

    /** The usual start, on the far side of the valley. */
    public static final double[] START = {-1.2, 1.0};

    private Rosenbrock() {}

    /**
     * f at a point.
     *
     * @param x x
     * @param y y
     * @return the value
     */
    public static double value(double x, double y) {
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    /**
     * The gradient, by hand: {@code df/dx = -2 (1 - x) - 400 x (y - x^2)}, {@code df/dy = 200 (y -
     * x^2)}.
     *
     * @param x x
     * @param y y
     * @return {df/dx, df/dy}
     */
    public static double[] gradient(double x, double y) {
        return new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
    }

    /**
     * f on a 2-element array, for autograd.
     *
     * @param p {x, y}
     * @return the scalar f
     */
    public static NDArray value(NDArray p) {
        NDArray x = p.get(0);
        NDArray y = p.get(1);
        return x.neg()
                .add(1)
                .square()
                .add(Scalars.mul(y.sub(x.square()).square(), 100)); // not .mul(100): see Scalars
    }
}
