package org.dllab.grading.hw3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.DatasetSpec;
import org.dllab.hw.hw3.Hw3;
import org.dllab.hw.hw3.TweetFineTuning;
import org.junit.jupiter.api.Test;

/**
 * The HW3 hidden graded tests as a test class for PIT's mutation run (`-Pmutation`, see
 * grading/pom.xml): PIT mutates the reference solution and counts the mutants these tests kill. Not
 * a surefire test (the name does not end in "Test"): on the normal test classpath the template, not
 * the solution, backs the homework classes.
 *
 * <p>The two training tests run once per mutant, so here they run on a reduced budget, against the
 * reference's figures at that budget (seed 42, measured on the 2-core machine) with margins: part A
 * one epoch instead of three (20 s instead of 50 s; reference: test accuracy 0.677, F1 0.617, train
 * loss 0.697, 10,167 tokens), part B 400 tweets for 3 epochs instead of 1,000 (32 s; reference:
 * accuracy 0.564, macro-F1 0.245).
 */
class Hw3HiddenMutants extends Hw3HiddenTest {

    private static Path data(DatasetSpec spec) {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, true).find(spec);
        assertNotNull(folder, spec.name() + " (DLLAB_DATA)");
        return folder;
    }

    @Override
    @Test
    void realTrainingReaches75Percent() throws Exception {
        Hw3.Result r =
                Hw3.train(
                        data(DatasetCatalog.IMDB), 1, 42, Files.createTempDirectory("hw3-"), null);
        assertEquals(10_167, r.vocabularySize(), "the vocabulary");
        assertEquals(1, r.trainLoss().size(), "one loss per epoch");
        assertTrue(r.trainLoss().get(0) < 0.75, "train loss " + r.trainLoss());
        assertTrue(r.test().accuracy() >= 0.62, "test accuracy " + r.test().accuracy());
        assertTrue(r.test().f1() >= 0.55, "test F1 " + r.test().f1());
    }

    @Override
    @Test
    void fineTuningReachesTheMacroF1Bar() throws Exception {
        TweetFineTuning.Report r =
                TweetFineTuning.fineTune(data(DatasetCatalog.EMOTION), 400, 3, 42, null);
        assertTrue(r.accuracy() >= 0.50, "test accuracy " + r.accuracy());
        assertTrue(r.macroF1() >= 0.20, "test macro-F1 " + r.macroF1());
    }
}
