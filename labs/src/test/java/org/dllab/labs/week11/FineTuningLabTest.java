package org.dllab.labs.week11;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run on the real tweets and the real encoder. */
class FineTuningLabTest {

    @TempDir Path tmp;

    @Test
    void smokeRunWritesEveryFigure() throws Exception {
        Path data = TestData.require(DatasetCatalog.EMOTION).getParent();
        LabResult r =
                new FineTuningLab()
                        .run(
                                new RunOptions()
                                        .limit(64)
                                        .epochs(1)
                                        .maxBatches(2)
                                        .dataDir(data)
                                        .output(tmp.resolve("run"))
                                        .quiet(true),
                                new PrintStream(java.io.OutputStream.nullOutputStream()));
        for (String k :
                List.of(
                        "probe_test_accuracy",
                        "finetuned_test_accuracy",
                        "scratch_test_accuracy",
                        "finetuned_test_macro_f1")) {
            assertTrue(r.summary().get(k) > 0 && r.summary().get(k) <= 1, k + ": " + r.summary());
        }
        assertTrue(Files.size(tmp.resolve("run/confusion.png")) > 1000);
        String report = Files.readString(tmp.resolve("run/report.html"));
        assertTrue(
                report.contains("surprise") && report.contains("linear probe"),
                "per-class table and the three models");
    }
}
