package org.dllab.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The constants of {@link Scalars} must survive a garbage collection between the forward and the
 * backward pass (DJL's {@code x.mul(3f)} does not: its gradient came out as garbage in 200 of 200
 * such tries).
 */
class ScalarsTest {

    /**
     * Runs the forward pass, makes the JVM free and reuse small direct buffers, then the backward
     * pass.
     */
    private static double[] gradientAfterGc(DataType type, double[] at, UnaryOperator<NDArray> f)
            throws InterruptedException {
        DjlRuntime.prepare();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(at).toType(type, false);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                System.gc();
                Thread.sleep(5);
                for (int i = 0; i < 2000; i++) {
                    ByteBuffer.allocateDirect(8).putDouble(0, 1e30);
                }
                gc.backward(y);
            }
            return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    @Test
    void gradientsOfConstantsAreExactAfterAGarbageCollection() throws InterruptedException {
        double[] at = {-2, -0.5, 0.5, 2};
        for (int trial = 0; trial < 10; trial++) {
            assertArrayEquals(
                    new double[] {3, 3, 3, 3},
                    gradientAfterGc(DataType.FLOAT32, at, x -> Scalars.mul(x, 3)),
                    0,
                    "mul");
            assertArrayEquals(
                    new double[] {0.25, 0.25, 0.25, 0.25},
                    gradientAfterGc(DataType.FLOAT32, at, x -> Scalars.div(x, 4)),
                    0,
                    "div");
            assertArrayEquals(
                    new double[] {0, 0, 1, 1},
                    gradientAfterGc(DataType.FLOAT32, at, x -> Scalars.maximum(x, 0)),
                    0,
                    "maximum");
            assertArrayEquals(
                    new double[] {-4, -1, 1, 4},
                    gradientAfterGc(DataType.FLOAT32, at, x -> Scalars.pow(x, 2)),
                    1e-6,
                    "pow");
            assertArrayEquals(
                    new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0},
                    gradientAfterGc(DataType.FLOAT64, at, x -> Scalars.div(x, 3)),
                    1e-16,
                    "float64 div keeps 53 bits");
        }
    }
}
