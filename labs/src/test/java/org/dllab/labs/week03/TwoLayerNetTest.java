package org.dllab.labs.week03;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hand-written backward pass against DJL's autograd on seeded random inputs of several sizes
 * (float64).
 */
class TwoLayerNetTest {

    @ParameterizedTest
    @CsvSource({"5, 3, 4, 2, 1", "17, 8, 3, 9, 2", "30, 64, 10, 32, 3"})
    void handGradientsEqualAutograd(int in, int hidden, int out, int batch, long seed) {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager();
                TwoLayerNet net = TwoLayerNet.create(m, in, hidden, out, seed, DataType.FLOAT64)) {
            Random r = new Random(seed);
            double[] x = new double[batch * in];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            long[] y = new long[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = r.nextInt(out);
            }
            NDArray xs = m.create(x, new Shape(batch, in));
            NDArray ys = m.create(y);
            Map<String, NDArray> hand = new HashMap<>();
            Map<String, NDArray> auto = new HashMap<>();
            double lh = net.lossAndGradients(xs, ys, hand);
            double la = net.lossAndAutogradGradients(xs, ys, auto);
            assertEquals(la, lh, 1e-12);
            for (String name : TwoLayerNet.NAMES) {
                double err =
                        BackpropLab.maxRelativeError(
                                hand.get(name).toDoubleArray(), auto.get(name).toDoubleArray());
                assertTrue(err < 1e-10, name + " relative error " + err);
                assertEquals(net.param(name).getShape(), hand.get(name).getShape(), name);
            }
        }
    }

    @Test
    void relativeErrorSeesAOnePercentMistake() {
        double[] g = {0.5, -2, 1e-3};
        double[] wrong = {0.505, -2, 1e-3};
        assertTrue(BackpropLab.maxRelativeError(g, wrong) > 1e-3);
        assertEquals(0, BackpropLab.maxRelativeError(g, g.clone()));
    }

    @Test
    void sgdWithHandGradientsLowersTheLoss() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager();
                TwoLayerNet net = TwoLayerNet.create(m, 6, 16, 3, 4, DataType.FLOAT32)) {
            Random r = new Random(4);
            float[] x = new float[40 * 6];
            long[] y = new long[40];
            for (int i = 0; i < 40; i++) {
                y[i] = r.nextInt(3);
                for (int j = 0; j < 6; j++) {
                    x[i * 6 + j] = (float) r.nextGaussian() + (j == y[i] ? 2f : 0f); // learnable
                }
            }
            NDArray xs = m.create(x, new Shape(40, 6));
            NDArray ys = m.create(y);
            Map<String, NDArray> g = new HashMap<>();
            double first = net.lossAndGradients(xs, ys, g);
            double last = first;
            for (int s = 0; s < 100; s++) {
                net.sgd(g, 0.2f);
                g.clear();
                last = net.lossAndGradients(xs, ys, g);
            }
            assertTrue(last < first / 3, first + " -> " + last);
        }
    }
}
