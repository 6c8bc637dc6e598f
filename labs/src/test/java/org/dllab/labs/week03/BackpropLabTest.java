package org.dllab.labs.week03;

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

class BackpropLabTest {

    @TempDir Path tmp;

    @Test
    void gradientCheckPassesAndBothCopiesLearnAlike() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        LabResult r =
                new BackpropLab()
                        .run(
                                new RunOptions()
                                        .maxBatches(80)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp),
                                new PrintStream(OutputStream.nullOutputStream()));
        var s = r.summary();
        for (String p : new String[] {"W1", "b1", "W2", "b2"}) {
            assertTrue(s.get("check_autograd_" + p) < 1e-10, p + ": " + s);
            assertTrue(s.get("check_numeric_" + p) < 1e-5, p + ": " + s);
        }
        assertTrue(s.get("hand_test_accuracy") > 0.8, s.toString());
        assertEquals(s.get("hand_test_accuracy"), s.get("autograd_test_accuracy"), 0.01);
        assertTrue(s.get("last_loss") < s.get("first_loss"), s.toString());
        assertTrue(Files.size(tmp.resolve("loss.png")) > 500);
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("finite differences"));
    }
}
