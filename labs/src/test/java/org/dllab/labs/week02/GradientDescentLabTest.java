package org.dllab.labs.week02;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientDescentLabTest {

    @TempDir Path tmp;

    @Test
    void smokeRunOnRealMnist() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        LabResult r =
                new GradientDescentLab()
                        .run(
                                new RunOptions()
                                        .limit(2000)
                                        .maxBatches(60)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp),
                                new PrintStream(OutputStream.nullOutputStream()));
        var s = r.summary();
        assertEquals(s.get("linear_hand_loss"), s.get("linear_autograd_loss"), 1e-4, s.toString());
        assertTrue(s.get("linear_hand_vs_autograd_max_weight_diff") < 1e-4, s.toString());
        assertTrue(
                s.get("linear_closed_loss") <= s.get("linear_hand_loss") + 1e-4,
                "closed form is the minimum: " + s);
        assertTrue(s.get("linear_closed_test_accuracy") > 0.75, s.toString());
        assertTrue(s.get("logistic_newton_test_accuracy") > 0.9, s.toString());
        assertEquals(0.0, s.get("sweep_0.50_diverged"));
        assertEquals(1.0, s.get("sweep_1.50_diverged"));
        for (String f :
                new String[] {
                    "linear.png", "logistic.png", "lr-sweep.png", "report.html", "run.json"
                }) {
            assertTrue(Files.size(tmp.resolve(f)) > 500, f);
        }
    }
}
