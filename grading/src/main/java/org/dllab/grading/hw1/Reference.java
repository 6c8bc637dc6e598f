package org.dllab.grading.hw1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** What the homework-1 tests compare against: DJL's autograd on the same formulas, in float64. */
final class Reference {

    private Reference() {}

    static NDArray random(NDManager m, Random r, long... shape) {
        Shape s = new Shape(shape);
        double[] v = new double[(int) s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return m.create(v, s);
    }

    /**
     * Gradients of a scalar function with respect to some arrays, by autograd (the arrays are
     * duplicated first, so the caller's arrays are untouched).
     */
    static double[][] autograd(
            NDManager m, List<NDArray> inputs, Function<List<NDArray>, NDArray> f) {
        List<NDArray> copies =
                inputs.stream()
                        .map(
                                a -> {
                                    NDArray c = a.duplicate();
                                    c.attach(m);
                                    c.setRequiresGradient(true);
                                    return c;
                                })
                        .toList();
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            gc.backward(f.apply(copies));
        }
        double[][] out = new double[copies.size()][];
        for (int i = 0; i < copies.size(); i++) {
            out[i] = copies.get(i).getGradient().toDoubleArray();
        }
        return out;
    }

    /**
     * ReLU with the homework's convention, derivative 0 at 0 (DJL's maximum splits a tie's gradient
     * in half).
     */
    static NDArray relu(NDArray x) {
        return x.mul(x.gt(0).toType(x.getDataType(), false));
    }

    static void assertClose(double[] expected, NDArray actual, String what) {
        assertTrue(actual != null, what + ": no gradient was stored (null)");
        assertEquals(
                DataType.FLOAT64,
                actual.getDataType(),
                what + ": compute in the input's precision (float64 here)");
        double[] a = actual.toDoubleArray();
        assertEquals(
                expected.length,
                a.length,
                what + ": wrong number of elements, shape " + actual.getShape());
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst =
                    Math.max(
                            worst,
                            Math.abs(a[i] - expected[i])
                                    / Math.max(Math.abs(a[i]) + Math.abs(expected[i]), 1e-12));
        }
        assertTrue(worst <= 1e-6, what + ": largest relative error " + worst + " (allowed 1e-6)");
    }
}
