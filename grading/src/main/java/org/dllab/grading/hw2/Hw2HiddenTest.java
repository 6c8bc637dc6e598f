package org.dllab.grading.hw2;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.hw.hw2.Hw2;
import org.junit.jupiter.api.Test;

/** Homework 2, hidden test: the whole pipeline on real CIFAR-10. */
public class Hw2HiddenTest {

    @Test
    @Points(
            value = 6,
            visibility = Visibility.HIDDEN,
            blanks = {"hw2-1", "hw2-2", "hw2-3", "hw2-4", "hw2-5", "hw2-6", "hw2-7", "hw2-8"},
            feedback =
                    "Trained for 10 epochs on the course's CIFAR-10 data, your pipeline must reach 50 % test accuracy.")
    void realTrainingReaches50Percent() throws Exception {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, true).find(DatasetCatalog.CIFAR10);
        assertNotNull(folder, "the grader needs CIFAR-10 (DLLAB_DATA)");
        Hw2.Result r = Hw2.train(folder, 10, 42, null);
        assertTrue(
                r.testAccuracy() >= 0.5,
                "test accuracy " + r.testAccuracy() + " after 10 epochs (needs 0.50)");
    }
}
