package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.labs.week05.MnistMlp;
import org.dllab.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that stop early keep what they had: a diverged loss, Ctrl-C, and --resume after it (on the
 * MNIST MLP).
 */
class StoppedRunTest {

    private static final PrintStream QUIET =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir Path tmp;

    @AfterEach
    void clear() {
        TrainingInterrupt.clear();
    }

    private Path data() throws Exception {
        Path data = tmp.resolve("data");
        Fixtures.syntheticMnist(data.resolve("mnist"), 1024, 256, 5);
        return data;
    }

    @Test
    void aDivergingLossStopsTheRunAndKeepsTheLastGoodWeights() throws Exception {
        Path run = tmp.resolve("run");
        RunOptions o =
                new RunOptions()
                        .epochs(2)
                        .learningRate(1e30f)
                        .dataDir(data())
                        .output(run)
                        .quiet(true);
        TrainingStoppedException e =
                assertThrows(TrainingStoppedException.class, () -> new MnistMlp().run(o, QUIET));
        assertEquals(TrainingStoppedException.Reason.DIVERGED, e.reason());
        assertTrue(
                e.getMessage().contains("NaN") || e.getMessage().contains("infinite"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("lower --lr")
                        && e.getMessage().contains(run.resolve("checkpoint").toString()),
                e.getMessage());
        assertEquals(
                "diverged", RunRecord.read(run.resolve("run.json")).get("status").getAsString());
        assertEquals(
                0,
                Checkpoint.epochsDone(run),
                "the weights from before the divergence (here: the initial ones)");
        assertTrue(Files.exists(run.resolve("checkpoint/w05-mnist-mlp-0000.params")));
    }

    @Test
    void ctrlCLeavesACheckpointAndResumeFinishesTheRun() throws Exception {
        Path data = data();
        Path run = tmp.resolve("run");
        // batch 64, 16 batches an epoch: "press Ctrl-C" in the 5th batch of epoch 2
        RunOptions o =
                new RunOptions().epochs(3).batchSize(64).dataDir(data).output(run).quiet(true);
        MnistMlp lab = new MnistMlp();
        int[] batches = {0};
        ClassifierTraining.afterTrainingBatch =
                () -> {
                    if (++batches[0] == 16 + 5) {
                        TrainingInterrupt.request();
                    }
                };
        try {
            TrainingStoppedException e =
                    assertThrows(TrainingStoppedException.class, () -> lab.run(o, QUIET));
            assertEquals(TrainingStoppedException.Reason.INTERRUPTED, e.reason());
            assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        } finally {
            ClassifierTraining.afterTrainingBatch = null;
        }
        JsonObject stopped = RunRecord.read(run.resolve("run.json"));
        assertEquals("interrupted", stopped.get("status").getAsString());
        assertEquals(
                1, stopped.getAsJsonArray("epochs").size(), "run.json keeps the finished epoch");
        assertEquals(1, Checkpoint.epochsDone(run));

        LabResult resumed =
                lab.run(
                        new RunOptions()
                                .epochs(3)
                                .batchSize(64)
                                .dataDir(data)
                                .output(run)
                                .quiet(true)
                                .resume(true),
                        QUIET);
        assertEquals(3, resumed.epochs().size(), "epoch 1 from before, epochs 2 and 3 now");
        assertEquals(
                java.util.List.of(1, 2, 3),
                resumed.epochs().stream().map(EpochMetrics::epoch).toList());
        JsonObject done = RunRecord.read(run.resolve("run.json"));
        assertEquals("completed", done.get("status").getAsString());
        assertEquals(1, done.getAsJsonObject("config").get("resumed_after_epoch").getAsInt());
        assertTrue(
                resumed.last().testAccuracy() > 0.9,
                "the resumed run still learns: " + resumed.last());
        assertEquals(3, Checkpoint.epochsDone(run));

        IllegalArgumentException more =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                lab.run(
                                        new RunOptions()
                                                .epochs(3)
                                                .batchSize(64)
                                                .dataDir(data)
                                                .output(run)
                                                .quiet(true)
                                                .resume(true),
                                        QUIET));
        assertTrue(more.getMessage().contains("already trained 3"), more.getMessage());
    }

    @Test
    void resumeWithoutACheckpointSaysWhereItLooked() throws Exception {
        Path run = tmp.resolve("nothing-here");
        java.io.IOException e =
                assertThrows(
                        java.io.IOException.class,
                        () ->
                                new MnistMlp()
                                        .run(
                                                new RunOptions()
                                                        .epochs(1)
                                                        .dataDir(data())
                                                        .output(run)
                                                        .quiet(true)
                                                        .resume(true),
                                                QUIET));
        assertTrue(
                e.getMessage().contains(run.resolve("checkpoint").toString())
                        && e.getMessage().contains("without --resume"),
                e.getMessage());
    }
}
