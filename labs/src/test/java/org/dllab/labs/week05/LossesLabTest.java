package org.dllab.labs.week05;

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

class LossesLabTest {

    @TempDir Path tmp;

    @Test
    void smokeRunTrainsWithEachLossAndLabelSmoothingLowersConfidence() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        LabResult r =
                new LossesLab()
                        .run(
                                new RunOptions()
                                        .maxBatches(150)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp),
                                new PrintStream(OutputStream.nullOutputStream()));
        var s = r.summary();
        assertEquals(1.0, s.get("naive_softmax_overflows"));
        for (String k : new String[] {"cross-entropy", "label", "mse"}) {
            assertTrue(s.get("mnist_accuracy_" + k) > 0.8, k + ": " + s);
        }
        assertTrue(
                s.get("mnist_confidence_label") < s.get("mnist_confidence_cross-entropy"),
                s.toString());
        assertTrue(Files.size(tmp.resolve("confidence.png")) > 500);
        assertTrue(
                Files.readString(tmp.resolve("report.html")).contains("SoftmaxCrossEntropyLoss"));
    }
}
