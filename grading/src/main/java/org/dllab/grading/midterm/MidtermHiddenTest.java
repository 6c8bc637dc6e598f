package org.dllab.grading.midterm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.ImageSet;
import org.dllab.exam.midterm.Adam;
import org.dllab.exam.midterm.Cnn;
import org.dllab.exam.midterm.Data;
import org.dllab.exam.midterm.Evaluation;
import org.dllab.exam.midterm.InvertedDropout;
import org.dllab.exam.midterm.Losses;
import org.dllab.exam.midterm.MidtermExam;
import org.dllab.exam.midterm.Momentum;
import org.dllab.exam.midterm.Optimizer;
import org.dllab.exam.midterm.Sequences;
import org.dllab.exam.midterm.Training;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The midterm's checks, one per slot ({@code blanks} names it). Each calls only its slot's method,
 * with reference collaborators and inputs built here (so a mistake in one slot never fails another
 * slot's check) and compares with values computed here independently. Results are hidden until the
 * instructor releases them after the exam.
 */
public class MidtermHiddenTest {

    private static final double TOLERANCE = 1e-5;

    @BeforeAll
    static void engine() {
        DjlRuntime.prepare();
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "data-shuffle",
            timeoutSeconds = 30,
            feedback = "Data.shuffle: every image must keep its own label.")
    void shuffleKeepsEachImageWithItsLabel() {
        ImageSet set = numbered(100);
        ImageSet shuffled = Data.shuffle(set, 7);
        Set<Integer> seen = new HashSet<>();
        boolean moved = false;
        for (int i = 0; i < shuffled.size(); i++) {
            int number = number(shuffled, i);
            assertEquals(
                    labelOf(number),
                    shuffled.label(i),
                    "image " + number + " carries the label of another image");
            seen.add(number);
            moved |= number != i;
        }
        assertEquals(100, seen.size(), "the shuffled set must hold every image once");
        assertTrue(moved, "the images are still in their original order");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "data-split",
            timeoutSeconds = 30,
            feedback =
                    "Data.holdOut: training and validation images must be disjoint and together the whole pool.")
    void holdOutSplitsWithoutOverlap() {
        ImageSet[] parts = Data.holdOut(numbered(100), 20);
        assertEquals(80, parts[0].size(), "training images");
        assertEquals(20, parts[1].size(), "validation images");
        Set<Integer> train = new HashSet<>();
        for (int i = 0; i < parts[0].size(); i++) {
            train.add(number(parts[0], i));
        }
        for (int i = 0; i < parts[1].size(); i++) {
            int n = number(parts[1], i);
            assertTrue(!train.contains(n), "validation image " + n + " is also a training image");
            train.add(n);
        }
        assertEquals(100, train.size(), "training and validation together must be the whole pool");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "norm-stats",
            timeoutSeconds = 30,
            feedback = "Data.normalization: the statistics must be those of the training images.")
    void normalisationUsesTrainingStatisticsOnly() {
        byte[] half = new byte[10 * 16];
        for (int i = 0; i < half.length; i += 2) {
            half[i] = (byte) 255; // pixels 1, 0, 1, 0, ...: mean 0.5, std 0.5
        }
        ImageSet train = new ImageSet(half, new byte[10], 1, 4, 4, digits());
        byte[] grey = new byte[5 * 16];
        java.util.Arrays.fill(grey, (byte) 51); // 0.2 everywhere
        ImageSet test = new ImageSet(grey, new byte[5], 1, 4, 4, digits());
        Data.Normalization n = Data.normalization(train, test);
        assertEquals(0.5, n.mean(), TOLERANCE, "mean");
        assertEquals(0.5, n.std(), TOLERANCE, "standard deviation");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "test-transform",
            timeoutSeconds = 30,
            feedback =
                    "Data.evaluationBatch: evaluation images are only normalised, never changed.")
    void evaluationImagesAreOnlyNormalised() {
        ImageSet set = numbered(12);
        Data.Normalization norm = new Data.Normalization(0.3f, 0.2f);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] got = Data.evaluationBatch(m, set, 2, 10, norm).toFloatArray();
            assertEquals(8 * 16, got.length, "8 images of 1 x 4 x 4");
            for (int i = 0; i < got.length; i++) {
                double want = ((set.pixels()[2 * 16 + i] & 0xFF) / 255.0 - 0.3) / 0.2;
                assertEquals(want, got[i], 1e-4, "value " + i + " of the batch");
            }
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "loss-softmax",
            timeoutSeconds = 30,
            feedback = "Losses.crossEntropy: -log softmax over the classes of the raw logits.")
    void crossEntropyComparesClassesOfRawLogits() {
        double[][] a = {{2, -1, 0.5}, {0, 3, 1}, {-2, 0, 2}, {1, 1, -1}};
        double[][] b = {{0.1, 0.2, 4}, {-3, 1, 0}, {2, 2, 2.5}, {0, -1, 1}};
        long[] labels = {0, 2, 1, 2};
        try (NDManager m = NDManager.newBaseManager()) {
            double la = Losses.crossEntropy(array(m, a), m.create(labels)).getFloat();
            double lb = Losses.crossEntropy(array(m, b), m.create(labels)).getFloat();
            // a ratio: the batch reduction (another slot) scales both losses alike
            assertEquals(
                    crossEntropy(a, labels) / crossEntropy(b, labels),
                    la / lb,
                    1e-4,
                    "the loss of two batches relative to each other");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "loss-reduction",
            timeoutSeconds = 30,
            feedback = "Losses.crossEntropy: the mean over the batch of the per-example losses.")
    void crossEntropyIsTheMeanOverTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            // all-zero logits, as many examples as classes: every per-entry log-probability is -ln
            // 3 whichever axis a
            // (mis)placed softmax uses, so this value depends only on the reduction
            float loss =
                    Losses.crossEntropy(m.zeros(new Shape(3, 3)), m.create(new long[] {0, 1, 2}))
                            .getFloat();
            assertEquals(
                    Math.log(3), loss, TOLERANCE, "loss of uniform predictions over 3 classes");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "momentum",
            timeoutSeconds = 30,
            feedback = "Momentum: v = mu v + g kept between steps, w = w - lr v.")
    void momentumKeepsItsVelocity() {
        double[][] grads = {{1, -2, 0.5}, {0.5, 1, -1}, {-1, 0, 2}};
        double lr = 0.1;
        double mu = 0.9;
        double[] w = {1, 2, 3};
        double[] v = new double[3];
        for (double[] g : grads) {
            for (int i = 0; i < 3; i++) {
                v[i] = mu * v[i] + g[i];
                w[i] -= lr * v[i];
            }
        }
        assertArrayEquals(
                w,
                steps(new Momentum((float) lr, (float) mu)::step, grads),
                TOLERANCE,
                "weights after three steps");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "adam-bias",
            timeoutSeconds = 30,
            feedback = "Adam: m / (1 - beta1^t) and v / (1 - beta2^t), t from 1.")
    void adamCorrectsBothMomentsForTheirZeroStart() {
        double[][] grads = {{1, -2, 0.5}, {0.5, 1, -1}, {-1, 0, 2}};
        double lr = 0.01;
        double[] w = {1, 2, 3};
        double[] mo = new double[3];
        double[] ve = new double[3];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i];
                mo[i] = 0.9 * mo[i] + 0.1 * g;
                ve[i] = 0.999 * ve[i] + 0.001 * g * g;
                w[i] -=
                        lr
                                * (mo[i] / (1 - Math.pow(0.9, t)))
                                / (Math.sqrt(ve[i] / (1 - Math.pow(0.999, t))) + 1e-8);
            }
        }
        assertArrayEquals(
                w, steps(new Adam((float) lr)::step, grads), 1e-4, "weights after three steps");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "cnn-padding",
            timeoutSeconds = 30,
            feedback = "Cnn.features: 28 x 28 images must become 16 x 7 x 7 feature maps.")
    void convolutionsKeepTheImageSizeBeforePooling() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock features = Cnn.features();
            features.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            assertEquals(
                    new Shape(2, 8, 28, 28),
                    features.getChildren()
                            .get(0)
                            .getValue()
                            .getOutputShapes(new Shape[] {new Shape(2, 1, 28, 28)})[0],
                    "the first convolution's output");
            NDArray out =
                    features.forward(
                                    new ParameterStore(m, false),
                                    new NDList(m.randomNormal(new Shape(2, 1, 28, 28))),
                                    false)
                            .singletonOrThrow();
            assertEquals(new Shape(2, 16, 7, 7), out.getShape(), "the feature maps");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "flatten",
            timeoutSeconds = 30,
            feedback = "Cnn.flatten: one row of 16 x 7 x 7 values per image, that image's own.")
    void flattenKeepsOneRowPerImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(3f * Cnn.FEATURES).reshape(3, 16, 7, 7);
            Block flatten = Cnn.flatten();
            flatten.initialize(m, DataType.FLOAT32, x.getShape());
            NDArray rows =
                    flatten.forward(new ParameterStore(m, false), new NDList(x), false)
                            .singletonOrThrow();
            assertEquals(new Shape(3, Cnn.FEATURES), rows.getShape(), "shape");
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(
                        x.get(i).toFloatArray(),
                        rows.get(i).toFloatArray(),
                        "row " + i + " must be image " + i + "'s values");
            }
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "dropout",
            timeoutSeconds = 30,
            feedback =
                    "InvertedDropout.apply: nothing when evaluating; zero a share 'rate' and scale the rest by 1 / (1 - rate) when training.")
    void dropoutOnlyWhileTrainingAndScaled() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ones = m.ones(new Shape(200, 500));
            assertArrayEquals(
                    ones.toFloatArray(),
                    InvertedDropout.apply(ones, 0.3f, false).toFloatArray(),
                    "evaluation must not change the input");
            float[] trained = InvertedDropout.apply(ones, 0.3f, true).toFloatArray();
            int zeros = 0;
            for (float f : trained) {
                if (f == 0) {
                    zeros++;
                } else {
                    assertEquals(1 / 0.7, f, 1e-5, "a kept value");
                }
            }
            assertEquals(0.3, zeros / (double) trained.length, 0.01, "share of dropped values");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "last-step",
            timeoutSeconds = 30,
            feedback = "Sequences.lastStep: each sequence's output at step length - 1.")
    void lastStepReadsEachSequencesOwnEnd() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray outputs = m.arange(30f).reshape(3, 5, 2); // value = 10 b + 2 t + h
            float[] got = Sequences.lastStep(outputs, new int[] {3, 5, 2}).toFloatArray();
            assertArrayEquals(
                    new float[] {4, 5, 18, 19, 22, 23}, got, "outputs at steps 2, 4 and 1");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "zero-grad",
            timeoutSeconds = 30,
            feedback =
                    "Training.step: the gradients must be zeroed in place before each backward pass.")
    void eachStepStartsFromZeroGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m);
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = m.create(new float[] {1, 2, -1, 0.5f, 3, -2}, new Shape(2, 3));
            NDArray y = m.create(new float[] {1, -1, 0.5f, 2}, new Shape(2, 2));
            Optimizer none =
                    weights -> {}; // the weights stay: the same batch must give the same gradient
            // again
            Training.step(net, store, none, MidtermHiddenTest::squaredError, x, y);
            float[] first = gradients(net);
            Training.step(net, store, none, MidtermHiddenTest::squaredError, x, y);
            assertArrayEquals(
                    first,
                    gradients(net),
                    1e-5f,
                    "the second step's gradient (same weights, same batch)");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "train-step",
            timeoutSeconds = 30,
            feedback = "Training.step: backward on the loss, then the optimizer's update.")
    void aStepFollowsTheLossGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = linear(m); // W = 0.5 everywhere (2 x 3), b = 0.5
            ParameterStore store = new ParameterStore(m, false);
            float[] xs = {1, 2, -1, 0.5f, 3, -2};
            float[] ys = {1, -1, 0.5f, 2};
            double lr = 0.1;
            Optimizer sgd =
                    weights ->
                            weights.forEach(
                                    w -> {
                                        try (NDArray g = w.getGradient();
                                                NDArray d = g.mul((float) lr)) {
                                            w.subi(d);
                                        }
                                    });
            float loss =
                    Training.step(
                            net,
                            store,
                            sgd,
                            MidtermHiddenTest::squaredError,
                            m.create(xs, new Shape(2, 3)),
                            m.create(ys, new Shape(2, 2)));
            // by hand: prediction p = x W^T + b, loss = mean((p - y)^2) over 4 entries, dL/dp = (p
            // - y) / 2
            double[][] dp = new double[2][2];
            double want = 0;
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 2; o++) {
                    double p = 0.5;
                    for (int i = 0; i < 3; i++) {
                        p += 0.5 * xs[n * 3 + i];
                    }
                    want += (p - ys[n * 2 + o]) * (p - ys[n * 2 + o]) / 4;
                    dp[n][o] = (p - ys[n * 2 + o]) / 2;
                }
            }
            assertEquals(want, loss, 1e-4, "the returned loss");
            double[] weight = new double[6];
            double[] bias = new double[2];
            for (int o = 0; o < 2; o++) {
                bias[o] = 0.5 - lr * (dp[0][o] + dp[1][o]);
                for (int i = 0; i < 3; i++) {
                    weight[o * 3 + i] = 0.5 - lr * (dp[0][o] * xs[i] + dp[1][o] * xs[3 + i]);
                }
            }
            List<NDArray> params = Training.weights(net);
            assertArrayEquals(
                    toFloat(weight), params.get(0).toFloatArray(), 1e-5f, "weights after one step");
            assertArrayEquals(
                    toFloat(bias), params.get(1).toFloatArray(), 1e-5f, "bias after one step");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "argmax",
            timeoutSeconds = 30,
            feedback =
                    "Evaluation.accuracy: each example's prediction is the argmax over the classes.")
    void accuracyTakesTheArgmaxOverClasses() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = array(m, new double[][] {{0, 1, 5}, {4, 1, 0}, {0, 3, 2}, {1, 2, 0}});
            assertEquals(
                    0.75,
                    Evaluation.accuracy(logits, m.create(new long[] {2, 0, 0, 1})),
                    1e-9,
                    "predictions 2, 0, 1, 1 against labels 2, 0, 0, 1");
            assertEquals(
                    0.25,
                    Evaluation.accuracy(logits, m.create(new long[] {1, 1, 1, 2})),
                    1e-9,
                    "predictions 2, 0, 1, 1 against labels 1, 1, 1, 2");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = "reported-split",
            timeoutSeconds = 30,
            feedback = "MidtermExam.reported: the final accuracy is measured on the test images.")
    void finalAccuracyIsOnTheTestSet() {
        Data.Prepared p =
                new Data.Prepared(
                        numbered(10),
                        numbered(10),
                        numbered(10),
                        new Data.Normalization(0.1f, 0.3f));
        assertSame(p.test(), MidtermExam.reported(p), "the reported images");
    }

    // ---- reference inputs and computations, independent of the paper's code ----

    /** Images of 1 x 4 x 4 whose pixels encode their number (pixel 0) and are otherwise varied. */
    private static ImageSet numbered(int n) {
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < 16; j++) {
                pixels[i * 16 + j] = (byte) r.nextInt(256);
            }
            pixels[i * 16] = (byte) i;
            labels[i] = (byte) labelOf(i);
        }
        return new ImageSet(pixels, labels, 1, 4, 4, digits());
    }

    private static int number(ImageSet set, int i) {
        return set.pixels()[i * set.imageBytes()] & 0xFF;
    }

    private static int labelOf(int number) {
        return number * 7 % 10;
    }

    private static List<String> digits() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    private static NDArray array(NDManager m, double[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[0].length; j++) {
                flat[i * rows[0].length + j] = (float) rows[i][j];
            }
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }

    private static double crossEntropy(double[][] logits, long[] labels) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double z = 0;
            for (double l : logits[i]) {
                z += Math.exp(l);
            }
            sum += Math.log(z) - logits[i][(int) labels[i]];
        }
        return sum / logits.length;
    }

    /**
     * Runs an optimizer (its step method: no exam type in a signature here, the grader loads this
     * class without the exam's) for one step per gradient row on a weight (1, 2, 3); returns the
     * weight.
     */
    private static double[] steps(
            java.util.function.Consumer<List<NDArray>> optimizer, double[][] grads) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1, 2, 3});
            w.setRequiresGradient(true);
            for (double[] g : grads) {
                try (NDArray old = w.getGradient()) {
                    old.muli(0); // libtorch accumulates: each step's gradient is exactly this row
                }
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    c.backward(w.mul(m.create(toFloat(g))).sum());
                }
                optimizer.accept(List.of(w));
            }
            float[] f = w.toFloatArray();
            return new double[] {f[0], f[1], f[2]};
        }
    }

    private static Block linear(NDManager m) {
        Block net = Linear.builder().setUnits(2).build();
        net.setInitializer(new ConstantInitializer(0.5f), ai.djl.nn.Parameter.Type.WEIGHT);
        net.setInitializer(new ConstantInitializer(0.5f), ai.djl.nn.Parameter.Type.BIAS);
        net.initialize(m, DataType.FLOAT32, new Shape(2, 3));
        return net;
    }

    private static NDArray squaredError(NDArray prediction, NDArray target) {
        return prediction.sub(target).square().mean();
    }

    private static float[] gradients(Block net) {
        List<Float> all = new ArrayList<>();
        for (NDArray w : Training.weights(net)) {
            try (NDArray g = w.getGradient()) {
                for (float f : g.toFloatArray()) {
                    all.add(f);
                }
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
