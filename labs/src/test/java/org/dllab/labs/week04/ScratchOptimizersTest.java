package org.dllab.labs.week04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;

/**
 * Each from-scratch optimizer against a reference over 100 steps: DJL's built-in optimizer on a
 * small MLP (SGD, momentum, Adam; same initial weights, same batches) and an independent float64
 * implementation on Rosenbrock (all four; for RMSProp it is the only reference, since DJL's RmsProp
 * is not implemented on the PyTorch engine).
 */
class ScratchOptimizersTest {

    private static final int STEPS = 100;

    /**
     * Trains a seeded 8-16-3 MLP for 100 steps on seeded batches and returns all its parameters,
     * flattened.
     */
    private static List<float[]> train(Optimizer optimizer) {
        DjlRuntime.engine(123);
        try (Model model = Model.newInstance("t")) {
            model.setBlock(
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(16).build())
                            .add(Activation::tanh)
                            .add(Linear.builder().setUnits(3).build()));
            try (Trainer trainer =
                    model.newTrainer(
                            new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                                    .optOptimizer(optimizer))) {
                trainer.initialize(new Shape(4, 8));
                Random r = new Random(7);
                NDManager m = trainer.getManager();
                for (int s = 0; s < STEPS; s++) {
                    float[] x = new float[4 * 8];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextGaussian();
                    }
                    long[] y = {r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)};
                    try (NDManager step = m.newSubManager()) {
                        NDList data = new NDList(step.create(x, new Shape(4, 8)));
                        NDList labels = new NDList(step.create(y));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(data, labels);
                            gc.backward(trainer.getLoss().evaluate(labels, pred));
                        }
                        trainer.step();
                    }
                }
                List<float[]> params = new ArrayList<>();
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    params.add(p.getValue().getArray().toFloatArray());
                }
                return params;
            }
        }
    }

    private static void assertClose(List<float[]> expected, List<float[]> actual, double tol) {
        assertEquals(expected.size(), actual.size());
        double worst = 0;
        for (int k = 0; k < expected.size(); k++) {
            for (int i = 0; i < expected.get(k).length; i++) {
                worst = Math.max(worst, Math.abs(expected.get(k)[i] - actual.get(k)[i]));
            }
        }
        assertTrue(
                worst <= tol, "largest parameter difference after " + STEPS + " steps: " + worst);
    }

    @Test
    void sgdMatchesDjl() {
        List<float[]> djl =
                train(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
        List<float[]> scratch = train(new ScratchSgd(0.1f));
        assertClose(djl, scratch, 1e-5);
    }

    @Test
    void momentumMatchesDjl() {
        List<float[]> djl =
                train(
                        Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(0.05f))
                                .optMomentum(0.9f)
                                .build());
        List<float[]> scratch = train(new ScratchMomentum(0.05f, 0.9f));
        assertClose(djl, scratch, 1e-5);
    }

    @Test
    void adamMatchesDjl() {
        List<float[]> djl =
                train(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
        List<float[]> scratch = train(new ScratchAdam(0.01f, 0.9f, 0.999f, 1e-8f));
        assertClose(djl, scratch, 1e-5);
    }

    @Test
    void theTestCanTellOptimizersApart() {
        // guards the comparison itself: different rules must not pass as equal
        List<float[]> sgd = train(new ScratchSgd(0.05f));
        List<float[]> momentum = train(new ScratchMomentum(0.05f, 0.9f));
        double diff =
                Math.abs(sgd.get(0)[0] - momentum.get(0)[0])
                        + Math.abs(sgd.get(2)[1] - momentum.get(2)[1]);
        assertTrue(diff > 1e-3, "SGD and momentum should differ, diff " + diff);
    }

    /** The same rules in float64 with the hand-written Rosenbrock gradient. */
    private static double[] reference(String rule, double lr, int steps) {
        double[] p = Rosenbrock.START.clone();
        double[] v = new double[2];
        double[] m = new double[2];
        for (int t = 1; t <= steps; t++) {
            double[] g = Rosenbrock.gradient(p[0], p[1]);
            for (int i = 0; i < 2; i++) {
                switch (rule) {
                    case "sgd" -> p[i] -= lr * g[i];
                    case "momentum" -> {
                        v[i] = 0.9 * v[i] + g[i];
                        p[i] -= lr * v[i];
                    }
                    case "rmsprop" -> {
                        v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i];
                        p[i] -= lr * g[i] / (Math.sqrt(v[i]) + 1e-8);
                    }
                    default -> {
                        m[i] = 0.9 * m[i] + 0.1 * g[i];
                        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                        double lrT =
                                lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                        p[i] -= lrT * m[i] / (Math.sqrt(v[i]) + 1e-8);
                    }
                }
            }
        }
        return p;
    }

    @Test
    void allFourMatchAFloat64ReferenceOnRosenbrock() {
        DjlRuntime.prepare();
        Object[][] cases = {
            {"sgd", new ScratchSgd(1e-3f), 1e-3},
            {"momentum", new ScratchMomentum(1e-3f, 0.9f), 1e-3},
            {"rmsprop", new ScratchRmsProp(1e-3f, 0.9f, 1e-8f), 1e-3},
            {"adam", new ScratchAdam(1e-2f, 0.9f, 0.999f, 1e-8f), 1e-2},
        };
        for (Object[] c : cases) {
            List<double[]> path = OptimizersLab.rosenbrockPath((ScratchOptimizer) c[1], STEPS);
            double[] end = path.get(STEPS);
            double[] ref = reference((String) c[0], (double) c[2], STEPS);
            assertEquals(ref[0], end[0], 1e-5, c[0] + " x after " + STEPS + " steps");
            assertEquals(ref[1], end[1], 1e-5, c[0] + " y after " + STEPS + " steps");
            assertTrue(
                    Math.hypot(end[0] - Rosenbrock.START[0], end[1] - Rosenbrock.START[1]) > 1e-3,
                    c[0] + " must move");
        }
    }

    @Test
    void handGradientOfRosenbrockMatchesAutograd() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {0.3f, -0.7f});
            p.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                gc.backward(Rosenbrock.value(p));
            }
            float[] g = p.getGradient().toFloatArray();
            double[] hand = Rosenbrock.gradient(0.3, -0.7);
            assertEquals(hand[0], g[0], 1e-3);
            assertEquals(hand[1], g[1], 1e-3);
        }
    }
}
