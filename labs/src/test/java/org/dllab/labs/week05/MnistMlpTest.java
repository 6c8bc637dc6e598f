package org.dllab.labs.week05;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.testing.Fixtures;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistMlpTest {

    @TempDir Path tmp;

    private static final PrintStream QUIET =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    @Test
    void networkHasTheCourseShapeAndParameterCount() throws Exception {
        // (784*256+256) + (256*128+128) + (128*10+10)
        RunOptions o =
                new RunOptions().epochs(1).maxBatches(1).quiet(true).output(tmp.resolve("run"));
        Path data = tmp.resolve("data");
        Fixtures.syntheticMnist(data.resolve("mnist"), 64, 64, 1);
        LabResult r = new MnistMlp().run(o.dataDir(data), QUIET);
        assertEquals(235_146, r.summary().get("parameters"));
    }

    @Test
    void learnsSyntheticDigitsAndWritesTheRunFolder() throws Exception {
        Path data = tmp.resolve("data");
        Fixtures.syntheticMnist(data.resolve("mnist"), 2000, 500, 3);
        Path out = tmp.resolve("run");
        LabResult r =
                new MnistMlp()
                        .run(
                                new RunOptions().epochs(2).dataDir(data).output(out).quiet(true),
                                QUIET);
        assertTrue(r.last().testAccuracy() > 0.95, "synthetic digits are easy: " + r.last());
        assertTrue(
                r.epochs().get(1).trainLoss() < r.epochs().get(0).trainLoss(),
                "loss must fall: " + r.epochs());
        JsonObject json = RunRecord.read(out.resolve("run.json"));
        assertEquals("completed", json.get("status").getAsString());
        assertEquals(2, json.getAsJsonArray("epochs").size());
        assertEquals(42, json.get("seed").getAsLong());
        assertTrue(json.get("engine").getAsString().startsWith("PyTorch"));
        assertTrue(Files.size(out.resolve("curves.png")) > 1000);
        assertTrue(Files.exists(out.resolve("w05-mnist-mlp-0002.params")));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(
                html.contains("data:image/png;base64,") && html.contains("<td>2</td>"),
                "self-contained report with the epochs");
    }

    @Test
    void smokeRunOnRealMnistLearnsInAFewBatchesAndIsReproducible() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        RunOptions o = new RunOptions().epochs(1).maxBatches(30).seed(11).dataDir(data).quiet(true);
        LabResult a = new MnistMlp().run(o.output(tmp.resolve("a")), QUIET);
        LabResult b = new MnistMlp().run(o.output(tmp.resolve("b")), QUIET);
        LabResult c = new MnistMlp().run(o.seed(12).output(tmp.resolve("c")), QUIET);
        // 30 batches of 64 already beat chance (10 %) by far; evaluation also stops after 30
        // batches
        assertTrue(a.last().testAccuracy() > 0.6, "after 30 batches: " + a.last());
        assertEquals(a.last().trainLoss(), b.last().trainLoss(), 0.0, "same seed, same metrics");
        assertEquals(a.last().testAccuracy(), b.last().testAccuracy(), 0.0);
        assertNotEquals(a.last().trainLoss(), c.last().trainLoss(), "another seed, another run");
    }
}
