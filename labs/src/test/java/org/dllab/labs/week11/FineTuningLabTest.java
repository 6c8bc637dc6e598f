package org.dllab.labs.week11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dllab.data.DatasetCatalog;
import org.dllab.labs.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke run on the real tweets and the real encoder, and the length-sorted batching. */
class FineTuningLabTest {

    @TempDir
    Path tmp;

    @Test
    void smokeRunWritesEveryFigure() throws Exception {
        Path data = TestData.require(DatasetCatalog.EMOTION).getParent();
        LabResult r = new FineTuningLab().run(new RunOptions().limit(64).epochs(1).maxBatches(2).dataDir(data).output(tmp.resolve("run"))
                .quiet(true), new PrintStream(java.io.OutputStream.nullOutputStream()));
        for (String k : List.of("probe_test_accuracy", "finetuned_test_accuracy", "scratch_test_accuracy", "finetuned_test_macro_f1")) {
            assertTrue(r.summary().get(k) > 0 && r.summary().get(k) <= 1, k + ": " + r.summary());
        }
        assertTrue(Files.size(tmp.resolve("run/confusion.png")) > 1000);
        String report = Files.readString(tmp.resolve("run/report.html"));
        assertTrue(report.contains("surprise") && report.contains("linear probe"), "per-class table and the three models");
    }

    @Test
    void batchesCoverEveryTweetOnceAndKeepSimilarLengthsTogether() {
        Random r = new Random(1);
        List<long[]> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(new long[5 + r.nextInt(60)]);
        }
        List<int[]> eval = FineTuningLab.batches(ids, 32, null);
        List<int[]> train = FineTuningLab.batches(ids, 32, new Random(2));
        for (List<int[]> batches : List.of(eval, train)) {
            int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertEquals(1000, all.length);
            assertEquals(999, all[999]);
            assertEquals(1000, Arrays.stream(all).distinct().count());
        }
        double spread = train.stream().mapToInt(b -> Arrays.stream(b).map(i -> ids.get(i).length).max().getAsInt()
                - Arrays.stream(b).map(i -> ids.get(i).length).min().getAsInt()).average().orElse(99);
        assertTrue(spread < 15, "lengths within a batch are close (random batches would spread ~55): " + spread);
    }
}
