package org.dllab.grading.hw3;

import static org.dllab.grading.hw3.Hw3Fixtures.mask;
import static org.dllab.grading.hw3.Hw3Fixtures.maxDifference;
import static org.dllab.grading.hw3.Hw3Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.hw.hw3.EncoderBlock;
import org.dllab.hw.hw3.Hw3;
import org.dllab.hw.hw3.Metrics;
import org.dllab.hw.hw3.MultiHeadAttention;
import org.dllab.hw.hw3.TweetFineTuning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Homework 3, hidden tests: other shapes, edge cases, and the whole pipeline on IMDb. */
public class Hw3HiddenTest {

    private NDManager m;

    @BeforeEach
    void open() {
        DjlRuntime.engine(5);
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    @Points(
            value = 2,
            visibility = Visibility.HIDDEN,
            blanks = {"hw3-3", "hw3-4"},
            feedback =
                    "Multi-head attention is wrong for some head count, width or batch size (one head, batch of one included).")
    void multiHeadAttentionForOtherShapes() {
        int[][] shapes = {{1, 7, 12, 3}, {3, 4, 16, 4}, {2, 6, 6, 1}}; // B, S, E, heads
        for (int[] s : shapes) {
            MultiHeadAttention mha = new MultiHeadAttention(s[2], s[3]);
            mha.initialize(m, DataType.FLOAT32, new Shape(s[0], s[1], s[2]), new Shape(s[0], s[1]));
            Random r = new Random(s[2]);
            NDArray x = random(m, r, s[0], s[1], s[2]);
            int[] lengths = new int[s[0]];
            for (int b = 0; b < s[0]; b++) {
                lengths[b] = s[1] - b;
            }
            NDArray mask = mask(m, s[1], lengths);
            NDList mine = mha.forward(new ParameterStore(m, false), new NDList(x, mask), false);
            NDList ref = Hw3Fixtures.referenceAttention(mha, x, mask, s[3]);
            String what = "B " + s[0] + ", S " + s[1] + ", E " + s[2] + ", heads " + s[3];
            assertTrue(maxDifference(ref.get(0), mine.get(0)) < 1e-5, what);
            assertEquals(
                    new Shape(s[0], s[3], s[1], s[1]),
                    mine.get(1).getShape(),
                    what + ": attention weights (B, h, S, S)");
            assertEquals(s[3], mha.heads(), what);
            Shape[] declared = mha.getOutputShapes(new Shape[] {x.getShape(), mask.getShape()});
            assertEquals(mine.get(0).getShape(), declared[0], what + ": declared output shape");
            assertEquals(mine.get(1).getShape(), declared[1], what + ": declared weights shape");
        }
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw3-3"},
            feedback =
                    "A review whose keys are all padding must not produce NaN (use a large negative number, not -infinity).")
    void fullyMaskedRowGivesNoNaN() {
        Random r = new Random(12);
        NDArray q = random(m, r, 1, 1, 3, 4);
        NDList out =
                MultiHeadAttention.scaledDotProduct(
                        q, random(m, r, 1, 1, 3, 4), random(m, r, 1, 1, 3, 4), mask(m, 3, 0));
        assertFalse(out.get(0).isNaN().any().getBoolean(), "NaN in the output");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw3-1", "hw3-3", "hw3-4"},
            feedback = "The encoder block is wrong for another width or feed-forward size.")
    void encoderBlockForAnotherShape() {
        EncoderBlock block = new EncoderBlock(12, 3, 20, 0.1f);
        block.initialize(m, DataType.FLOAT32, new Shape(3, 4, 12), new Shape(3, 4));
        NDArray x = random(m, new Random(13), 3, 4, 12);
        NDArray mask = mask(m, 4, 4, 1, 3);
        NDArray mine =
                block.forward(new ParameterStore(m, false), new NDList(x, mask), false).get(0);
        assertTrue(maxDifference(Hw3Fixtures.referenceBlock(block, x, mask, 3), mine) < 1e-4);
        assertEquals(
                mine.getShape(),
                block.getOutputShapes(new Shape[] {x.getShape(), mask.getShape()})[0],
                "declared output shape");
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw3-2"},
            feedback = "Metrics: all-correct, all-wrong and no-positive-label cases.")
    void metricsEdgeCases() {
        Metrics perfect = Metrics.of(new int[] {1, 0, 1}, new int[] {1, 0, 1});
        assertEquals(1.0, perfect.accuracy());
        assertEquals(1.0, perfect.f1(), 1e-12);
        Metrics wrong = Metrics.of(new int[] {0, 1}, new int[] {1, 0});
        assertEquals(0.0, wrong.accuracy());
        assertEquals(0.0, wrong.f1());
        Metrics noPositives = Metrics.of(new int[] {0, 0, 0}, new int[] {0, 0, 0});
        assertEquals(1.0, noPositives.accuracy());
        assertEquals(0.0, noPositives.recall(), "no positive labels: recall 0, not NaN");
    }

    @Test
    @Points(
            value = 6,
            visibility = Visibility.HIDDEN,
            timeoutSeconds = 600,
            blanks = {"hw3-1", "hw3-2", "hw3-3", "hw3-4", "hw3-5", "hw3-6", "hw3-7", "hw3-8"},
            feedback =
                    "Trained for 3 epochs on the course's IMDb reviews, your pipeline must reach 75 % test accuracy.")
    void realTrainingReaches75Percent() throws Exception {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, true).find(DatasetCatalog.IMDB);
        assertNotNull(folder, "the grader needs IMDb (DLLAB_DATA)");
        // A second seed when the first misses: correct pipelines reach 78-79 % on seeds 1, 2, 3 and
        // 42, but one CI run
        // of the reference gave 70.9 % with seed 42 (run-to-run CPU nondeterminism, not traced); a
        // wrong pipeline
        // misses with both.
        Hw3.Result r = Hw3.train(folder, Hw3.EPOCHS, 42, Files.createTempDirectory("hw3-"), null);
        if (r.test().accuracy() < 0.75 || r.test().f1() < 0.7) {
            r = Hw3.train(folder, Hw3.EPOCHS, 3, Files.createTempDirectory("hw3-"), null);
        }
        assertTrue(
                r.test().accuracy() >= 0.75,
                "test accuracy "
                        + r.test().accuracy()
                        + " after "
                        + Hw3.EPOCHS
                        + " epochs (needs 0.75)");
        assertTrue(r.test().f1() >= 0.7, "test F1 " + r.test().f1());
    }

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw3-11"},
            feedback =
                    "Per-class metrics: a perfect classifier, and a class that is neither present nor predicted.")
    void perClassMetricsEdgeCases() {
        TweetFineTuning.Report perfect =
                TweetFineTuning.report(new int[] {2, 0, 1, 2}, new int[] {2, 0, 1, 2}, 3);
        assertEquals(1.0, perfect.macroF1(), 1e-12);
        TweetFineTuning.Report absent =
                TweetFineTuning.report(new int[] {0, 1}, new int[] {0, 1}, 3);
        assertEquals(0.0, absent.f1()[2], "class 2 absent and never predicted: F1 0, not NaN");
        assertEquals(
                2 / 3.0,
                absent.macroF1(),
                1e-12,
                "macro-F1 averages over every class, the absent one included");
    }

    @Test
    @Points(
            value = 5,
            visibility = Visibility.HIDDEN,
            timeoutSeconds = 600,
            blanks = {"hw3-9", "hw3-10", "hw3-11", "hw3-12"},
            feedback =
                    "Fine-tuned on 1,000 emotion tweets for 3 epochs, your pipeline must reach a test macro-F1 of 0.50 (the reference: 0.58).")
    void fineTuningReachesTheMacroF1Bar() throws Exception {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, true).find(DatasetCatalog.EMOTION);
        assertNotNull(folder, "the grader needs the emotion tweets (DLLAB_DATA)");
        TweetFineTuning.Report r = TweetFineTuning.fineTune(folder, 1000, 3, 42, null);
        assertTrue(
                r.macroF1() >= 0.50,
                "test macro-F1 " + r.macroF1() + " (accuracy " + r.accuracy() + "), needs 0.50");
    }
}
