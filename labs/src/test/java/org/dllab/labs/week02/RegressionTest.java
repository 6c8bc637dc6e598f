package org.dllab.labs.week02;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;

/**
 * The three ways agree on seeded random problems, and the step bound separates convergence from
 * divergence.
 */
class RegressionTest {

    private static NDArray random(NDManager m, Random r, int rows, int cols, boolean bias) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = bias && i % cols == cols - 1 ? 1f : (float) r.nextGaussian();
        }
        return m.create(v, new Shape(rows, cols));
    }

    @Test
    void handAndAutogradStepsAreTheSameStep() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(1);
            NDArray x = random(m, r, 50, 6, true);
            NDArray y = random(m, r, 50, 3, false);
            NDArray w0 = random(m, r, 6, 3, false);
            NDArray hand = w0.duplicate();
            NDArray auto = w0.duplicate();
            auto.setRequiresGradient(true);
            for (int s = 0; s < 5; s++) {
                float lh = Regression.linearHandStep(x, y, hand, 0.05f);
                float la = Regression.linearAutogradStep(x, y, auto, 0.05f);
                assertEquals(lh, la, 1e-5 * Math.max(1, lh));
            }
            assertTrue(hand.sub(auto).abs().max().getFloat() < 1e-5);

            NDArray yb = m.create(new float[50], new Shape(50, 1));
            float[] labels = new float[50];
            for (int i = 0; i < 50; i++) {
                labels[i] = r.nextBoolean() ? 1 : 0;
            }
            yb = m.create(labels, new Shape(50, 1));
            NDArray v0 = random(m, r, 6, 1, false);
            NDArray vh = v0.duplicate();
            NDArray va = v0.duplicate();
            va.setRequiresGradient(true);
            for (int s = 0; s < 5; s++) {
                Regression.logisticHandStep(x, yb, vh, 0.01f, 0.5f);
                Regression.logisticAutogradStep(x, yb, va, 0.01f, 0.5f);
            }
            assertTrue(vh.sub(va).abs().max().getFloat() < 1e-5);
        }
    }

    @Test
    void closedFormAndNewtonSitAtTheMinimum() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(2);
            NDArray x = random(m, r, 80, 5, true);
            NDArray y = random(m, r, 80, 2, false);
            NDArray w = Regression.linearClosedForm(x, y, 1e-6);
            float best = Regression.linearLoss(x, y, w);
            // gradient descent from the closed form cannot improve it
            NDArray moved = w.duplicate();
            for (int s = 0; s < 20; s++) {
                Regression.linearHandStep(x, y, moved, 0.01f);
            }
            assertEquals(best, Regression.linearLoss(x, y, moved), 1e-5);
            assertTrue(Regression.linearLoss(x, y, m.zeros(w.getShape())) > best + 0.1f);

            float[] labels = new float[80];
            for (int i = 0; i < 80; i++) {
                labels[i] = r.nextBoolean() ? 1 : 0;
            }
            NDArray yb = m.create(labels, new Shape(80, 1));
            NDArray wn = Regression.logisticNewton(x, yb, 0.01f, 10);
            float newton = Regression.logisticLoss(x, yb, wn, 0.01f);
            NDArray gd = m.zeros(new Shape(5, 1));
            for (int s = 0; s < 2000; s++) {
                Regression.logisticHandStep(x, yb, gd, 0.01f, 0.5f);
            }
            assertEquals(
                    newton,
                    Regression.logisticLoss(x, yb, gd, 0.01f),
                    1e-4,
                    "GD converges to Newton's minimum");
        }
    }

    @Test
    void stepBoundSeparatesConvergenceFromDivergence() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(3);
            NDArray x = random(m, r, 100, 8, true);
            NDArray y = random(m, r, 100, 1, false);
            double bound = Regression.linearStepBound(x, 200);
            for (double factor : new double[] {0.9, 1.1}) {
                NDArray w = m.zeros(new Shape(8, 1));
                float first = Regression.linearHandStep(x, y, w, (float) (factor * bound));
                float last = first;
                for (int s = 0; s < 300; s++) {
                    last = Regression.linearHandStep(x, y, w, (float) (factor * bound));
                }
                if (factor < 1) {
                    assertTrue(
                            last < first,
                            "below the bound the loss falls: " + first + " -> " + last);
                } else {
                    assertTrue(
                            last > 100 * first,
                            "above the bound the loss explodes: " + first + " -> " + last);
                }
            }
        }
    }
}
