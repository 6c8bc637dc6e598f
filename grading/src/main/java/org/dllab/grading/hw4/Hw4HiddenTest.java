package org.dllab.grading.hw4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.hw.hw4.Hw4;
import org.dllab.hw.hw4.Int8Weights;
import org.junit.jupiter.api.Test;

/**
 * Homework 4, hidden tests: extreme values, and the whole pipeline on MNIST against the homework's
 * targets.
 */
public class Hw4HiddenTest {

    @Test
    @Points(
            value = 1,
            visibility = Visibility.HIDDEN,
            blanks = {"hw4-3", "hw4-4"},
            feedback =
                    "int8 must clip to [-127, 127] and keep the sign; a single-column and a negative-only row included.")
    void extremeRows() {
        Int8Weights q = Int8Weights.quantize(new float[] {-3f, -1.5f, 7f, 1e-8f}, 4, 1);
        assertEquals(-127, q.values()[0]);
        assertEquals(-127, q.values()[1]);
        assertEquals(127, q.values()[2]);
        assertEquals(127, q.values()[3], "a tiny weight alone in its row is its row's maximum");
        assertEquals(-3f, q.dequantize()[0], 1e-6);
    }

    @Test
    @Points(
            value = 8,
            visibility = Visibility.HIDDEN,
            timeoutSeconds = 600,
            blanks = {"hw4-1", "hw4-2", "hw4-3", "hw4-4", "hw4-5"},
            feedback =
                    "On MNIST: LoRA must train at most 5 % of the parameters and come within 3 points of full fine-tuning;"
                            + " int8 must be at least 3.5x smaller and lose at most 1 point.")
    void pipelineMeetsTheTargets() throws Exception {
        DjlRuntime.prepare();
        Path mnist = DataLocations.fromEnvironment(null, true).find(DatasetCatalog.MNIST);
        assertNotNull(mnist, "the grader needs MNIST (DLLAB_DATA)");
        Hw4.Result r = Hw4.run(mnist, 42, 0, null);
        assertTrue(
                r.loraTrainable() <= 0.05 * r.parameters(),
                r.loraTrainable() + " of " + r.parameters() + " parameters trained");
        assertTrue(
                r.loraAccuracy() >= r.fullAccuracy() - 0.03,
                "LoRA " + r.loraAccuracy() + " vs full " + r.fullAccuracy());
        assertTrue(
                r.float32Bytes() >= 3.5 * r.int8Bytes(),
                r.float32Bytes() + " -> " + r.int8Bytes() + " bytes");
        assertTrue(
                r.quantizedAccuracy() >= r.fullAccuracy() - 0.01,
                "int8 " + r.quantizedAccuracy() + " vs float " + r.fullAccuracy());
        assertTrue(r.fullAccuracy() > 0.9, "full fine-tuning reached only " + r.fullAccuracy());
    }
}
