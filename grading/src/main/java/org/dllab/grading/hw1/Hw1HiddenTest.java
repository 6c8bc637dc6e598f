package org.dllab.grading.hw1;

import static org.dllab.grading.hw1.Reference.assertClose;
import static org.dllab.grading.hw1.Reference.autograd;
import static org.dllab.grading.hw1.Reference.random;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.data.Split;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.hw.hw1.Mlp;
import org.dllab.hw.hw1.MseLoss;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Homework 1, hidden tests: other depths, widths and batch sizes, and real training on MNIST. */
public class Hw1HiddenTest {

    private NDManager m;

    @BeforeEach
    void open() {
        DjlRuntime.prepare();
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    @Points(
            value = 4,
            visibility = Visibility.HIDDEN,
            blanks = {"hw1-2", "hw1-3", "hw1-4", "hw1-6", "hw1-7", "hw1-8", "hw1-9"},
            feedback =
                    "MLP gradients are wrong for some depth, width or batch size (batch size 1 included).")
    void mlpGradientsForSeveralShapes() {
        int[][] shapes = {{3, 2}, {6, 5, 4}, {4, 9, 3, 2}, {2, 3, 3, 3, 5}};
        int[] batches = {1, 7, 3, 9};
        for (int k = 0; k < shapes.length; k++) {
            Random r = new Random(100 + k);
            int[] sizes = shapes[k];
            Mlp mlp = new Mlp(m, sizes, DataType.FLOAT64, 100 + k);
            NDArray x = random(m, r, batches[k], sizes[0]);
            NDArray t = random(m, r, batches[k], sizes[sizes.length - 1]);
            List<NDArray> params = mlp.parameters();
            double[][] ref =
                    autograd(
                            m,
                            params,
                            a -> {
                                NDArray h = x;
                                for (int i = 0; i < a.size(); i += 2) {
                                    h = h.matMul(a.get(i)).add(a.get(i + 1));
                                    if (i + 2 < a.size()) {
                                        h = Reference.relu(h);
                                    }
                                }
                                return h.sub(t).square().mean();
                            });
            MseLoss loss = new MseLoss();
            loss.forward(mlp.forward(x), t);
            assertNotNull(mlp.backward(loss.backward()), "Mlp.backward must return dL/dx");
            List<NDArray> grads = mlp.gradients();
            for (int i = 0; i < params.size(); i++) {
                assertClose(
                        ref[i],
                        grads.get(i),
                        "sizes " + java.util.Arrays.toString(sizes) + ", parameter " + i);
            }
        }
    }

    @Test
    @Points(
            value = 5,
            visibility = Visibility.HIDDEN,
            blanks = {"hw1-2", "hw1-3", "hw1-4", "hw1-5", "hw1-6", "hw1-7", "hw1-8", "hw1-9"},
            feedback =
                    "An MLP trained with your backprop + SGD (MSE on one-hot targets) must reach 85 % on MNIST after one epoch.")
    void mnistOneEpochReaches85Percent() throws Exception {
        Path folder = DataLocations.fromEnvironment(null, true).find(DatasetCatalog.MNIST);
        assertNotNull(folder, "the grader needs MNIST (DLLAB_DATA)");
        ImageSet train = MnistIdx.load(folder, Split.TRAIN).shuffle(1).limit(12_000);
        ImageSet test = MnistIdx.load(folder, Split.TEST);
        Mlp mlp = new Mlp(m, new int[] {784, 64, 10}, DataType.FLOAT32, 1);
        MseLoss loss = new MseLoss();
        int batch = 32;
        for (int start = 0; start < train.size(); start += batch) {
            int end = Math.min(train.size(), start + batch);
            try (NDManager s = m.newSubManager()) {
                NDArray x = pixels(s, train, start, end);
                NDArray y = oneHot(s, train, start, end);
                loss.forward(mlp.forward(x), y);
                mlp.backward(loss.backward());
                mlp.sgdStep(0.1f * 10); // MSE over 10 outputs averages the gradient 10 times down
            }
        }
        int correct = 0;
        for (int start = 0; start < test.size(); start += 1000) {
            int end = Math.min(test.size(), start + 1000);
            try (NDManager s = m.newSubManager()) {
                long[] pred = mlp.forward(pixels(s, test, start, end)).argMax(1).toLongArray();
                for (int i = 0; i < pred.length; i++) {
                    correct += pred[i] == test.label(start + i) ? 1 : 0;
                }
            }
        }
        double accuracy = correct / (double) test.size();
        assertTrue(accuracy >= 0.85, "test accuracy " + accuracy + " after one epoch (needs 0.85)");
    }

    private static NDArray pixels(NDManager s, ImageSet set, int from, int to) {
        float[] v = new float[(to - from) * 784];
        for (int i = 0; i < v.length; i++) {
            v[i] = (set.pixels()[from * 784 + i] & 0xFF) / 255f;
        }
        return s.create(v, new Shape(to - from, 784));
    }

    private static NDArray oneHot(NDManager s, ImageSet set, int from, int to) {
        float[] v = new float[(to - from) * 10];
        for (int i = from; i < to; i++) {
            v[(i - from) * 10 + set.label(i)] = 1f;
        }
        return s.create(v, new Shape(to - from, 10));
    }
}
