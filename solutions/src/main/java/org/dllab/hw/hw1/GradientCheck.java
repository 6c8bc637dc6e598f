package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;
import java.util.function.ToDoubleFunction;

/** Checks analytic gradients against finite differences. */
public final class GradientCheck {

    private GradientCheck() {}

    /**
     * The numerical gradient by central differences, {@code (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)} for every
     * entry i of x. Changes x temporarily and restores it.
     *
     * @param f the scalar function (reads x)
     * @param x the point, float64
     * @param eps the step, e.g. 1e-6
     * @return the gradient, the shape of x
     */
    public static double[] numericalGradient(ToDoubleFunction<NDArray> f, NDArray x, double eps) {
        double[] values = x.toDoubleArray();
        double[] grad = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            // BEGIN SOLUTION 對第 i 個元素加減 eps，用中央差分估計斜率，最後還原 | nudge entry i by +eps and -eps, take the central difference, restore it
            double saved = values[i];
            values[i] = saved + eps;
            x.set(java.nio.DoubleBuffer.wrap(values));
            double plus = f.applyAsDouble(x);
            values[i] = saved - eps;
            x.set(java.nio.DoubleBuffer.wrap(values));
            double minus = f.applyAsDouble(x);
            values[i] = saved;
            x.set(java.nio.DoubleBuffer.wrap(values));
            grad[i] = (plus - minus) / (2 * eps);
            // END SOLUTION
        }
        return grad;
    }

    /**
     * The largest relative error {@code |a - b| / max(|a| + |b|, 1e-12)}.
     *
     * @param a values
     * @param b values
     * @return the error
     */
    public static double maxRelativeError(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]) + Math.abs(b[i]), 1e-12));
        }
        return worst;
    }
}
