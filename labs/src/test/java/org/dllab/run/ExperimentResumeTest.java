package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.data.DatasetCatalog;
import org.dllab.labs.week06.CifarCnnLab;
import org.dllab.labs.week10.AttentionLab;
import org.dllab.labs.week12.GptLab;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} for a lab made of experiments ({@link LabRun#experiment}), on week 6 (two
 * networks, each trained from the seed, so a resumed run must equal an uninterrupted one): a stop
 * after the first network keeps it, {@code --resume} reads it back and trains only the second.
 */
class ExperimentResumeTest {

    @TempDir Path tmp;

    @AfterEach
    void clear() {
        LabRun.afterExperiment = null;
        TrainingInterrupt.clear();
    }

    private static RunOptions smoke(Path out) throws Exception {
        Path data = TestData.require(DatasetCatalog.CIFAR10).getParent();
        return new RunOptions()
                .seed(5)
                .epochs(1)
                .maxBatches(3)
                .dataDir(data)
                .offline(true)
                .output(out);
    }

    @Test
    void aStoppedRunResumesAfterItsLastFinishedExperimentAndEndsAsAnUninterruptedOne()
            throws Exception {
        Path whole = tmp.resolve("whole");
        new CifarCnnLab().run(smoke(whole).quiet(true), null);
        JsonObject uninterrupted = RunRecord.summaryOf(RunRecord.read(whole.resolve("run.json")));

        Path run = tmp.resolve("stopped");
        LabRun.afterExperiment =
                name -> {
                    if (name.equals("a-simplecnn")) {
                        TrainingInterrupt.request("TERM");
                    }
                };
        TrainingStoppedException stop =
                assertThrows(
                        TrainingStoppedException.class,
                        () -> new CifarCnnLab().run(smoke(run).quiet(true), null));
        assertEquals(143, stop.exitStatus());
        assertTrue(stop.getMessage().contains("add --resume"), stop.getMessage());
        JsonObject stopped = RunRecord.read(run.resolve("run.json"));
        assertEquals("interrupted", stopped.get("status").getAsString());
        assertTrue(
                Files.isRegularFile(run.resolve(LabRun.RESUME_STATE).resolve("a-simplecnn.json")));
        assertFalse(Files.exists(run.resolve(LabRun.RESUME_STATE).resolve("b-smallresnet.json")));

        LabRun.afterExperiment = null;
        TrainingInterrupt.clear();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new CifarCnnLab()
                .run(smoke(run).resume(true), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Experiment a-simplecnn: finished in the earlier run"), log);
        assertFalse(log.contains("SimpleCnn: "), "SimpleCnn is not trained again:\n" + log);
        assertTrue(log.contains("SmallResNet: "), log);

        JsonObject resumed = RunRecord.read(run.resolve("run.json"));
        assertEquals("completed", resumed.get("status").getAsString());
        assertEquals(
                List.of("a-simplecnn"),
                resumed
                        .getAsJsonObject("config")
                        .getAsJsonArray("resumed_experiments")
                        .asList()
                        .stream()
                        .map(e -> e.getAsString())
                        .toList());
        JsonObject summary = RunRecord.summaryOf(resumed);
        for (String key :
                List.of(
                        "SimpleCnn_test_accuracy",
                        "SmallResNet_test_accuracy",
                        "SimpleCnn_parameters",
                        "conv_arithmetic_mismatches")) {
            assertEquals(uninterrupted.get(key), summary.get(key), key);
        }
        JsonObject before = uninterrupted.getAsJsonArray("SimpleCnn").get(0).getAsJsonObject();
        JsonObject after = summary.getAsJsonArray("SimpleCnn").get(0).getAsJsonObject();
        for (String key : List.of("train_loss", "test_loss", "test_accuracy")) {
            assertEquals(before.get(key), after.get(key), "the first network's epochs: " + key);
        }
    }

    @Test
    void resumeRefusesOtherOptionsAndAFreshRunForgetsTheOldExperiments() throws Exception {
        TestData.require(
                DatasetCatalog.CIFAR10); // skips here, not inside assertThrows, without data
        Path run = tmp.resolve("run");
        LabRun.afterExperiment = name -> TrainingInterrupt.request();
        assertThrows(
                TrainingStoppedException.class,
                () -> new CifarCnnLab().run(smoke(run).quiet(true), null));
        LabRun.afterExperiment = null;
        TrainingInterrupt.clear();

        IllegalArgumentException other =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new CifarCnnLab()
                                        .run(
                                                smoke(run).maxBatches(4).quiet(true).resume(true),
                                                null));
        assertTrue(other.getMessage().contains("resume with the same options"), other.getMessage());

        LabRun.afterExperiment = name -> TrainingInterrupt.request();
        assertThrows(
                TrainingStoppedException.class,
                () -> new CifarCnnLab().run(smoke(run).seed(6).quiet(true), null));
        JsonObject stored =
                RunRecord.read(run.resolve(LabRun.RESUME_STATE).resolve("a-simplecnn.json"))
                        .getAsJsonObject("options");
        assertEquals(6, stored.get("seed").getAsInt(), "the new run's, not the old one's");

        IllegalArgumentException none =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new CifarCnnLab()
                                        .run(
                                                smoke(tmp.resolve("never-ran"))
                                                        .quiet(true)
                                                        .resume(true),
                                                null));
        assertTrue(none.getMessage().contains("no earlier run"), none.getMessage());
    }

    @Test
    void aTrainingStoppedInItsSecondEpochResumesAfterTheFirst() throws Exception {
        Path data = TestData.require(DatasetCatalog.IMDB).getParent();
        java.util.function.Function<Path, RunOptions> options =
                out ->
                        new RunOptions()
                                .seed(5)
                                .epochs(2)
                                .maxBatches(4)
                                .dataDir(data)
                                .offline(true)
                                .output(out);
        Path run = tmp.resolve("attention");
        int[] batches = {0};
        ClassifierTraining.afterTrainingBatch =
                () -> {
                    if (++batches[0] == 6) { // the second batch of epoch 2
                        TrainingInterrupt.request();
                    }
                };
        try {
            TrainingStoppedException stop =
                    assertThrows(
                            TrainingStoppedException.class,
                            () -> new AttentionLab().run(options.apply(run).quiet(true), null));
            assertEquals(130, stop.exitStatus());
        } finally {
            ClassifierTraining.afterTrainingBatch = null;
        }
        JsonObject stopped = RunRecord.read(run.resolve("run.json"));
        assertEquals("interrupted", stopped.get("status").getAsString());
        TrainingInterrupt.clear();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LabResult resumed =
                new AttentionLab()
                        .run(
                                options.apply(run).resume(true),
                                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Resuming after epoch 1"), log);
        assertFalse(log.contains("Epoch 1/2"), "epoch 1 is not trained again:\n" + log);
        assertEquals(List.of(1, 2), resumed.epochs().stream().map(EpochMetrics::epoch).toList());

        Path whole = tmp.resolve("whole");
        LabResult uninterrupted = new AttentionLab().run(options.apply(whole).quiet(true), null);
        assertEquals(
                uninterrupted.epochs().get(0).trainLoss(),
                resumed.epochs().get(0).trainLoss(),
                "epoch 1 comes back from the stopped run as it was");
        JsonObject done = RunRecord.read(run.resolve("run.json"));
        assertEquals("completed", done.get("status").getAsString());
        assertEquals(2, done.getAsJsonArray("epochs").size());
        assertFalse(
                Files.exists(run.resolve(LabRun.RESUME_STATE)),
                "a completed run keeps no checkpoint for --resume");
    }

    @Test
    void aLanguageModelStoppedAtAStepResumesThereWithItsSamplerWhereItWas() throws Exception {
        Path data = TestData.require(DatasetCatalog.TINY_SHAKESPEARE).getParent();
        java.util.function.Function<Path, RunOptions> options =
                out ->
                        new RunOptions()
                                .seed(5)
                                .maxBatches(8)
                                .limit(60_000)
                                .dataDir(data)
                                .offline(true)
                                .quiet(true)
                                .output(out);
        Path run = tmp.resolve("gpt");
        LoopCheckpoint.afterSave = TrainingInterrupt::request; // the first save: step 2 of 8
        try {
            assertThrows(
                    TrainingStoppedException.class,
                    () -> new GptLab().run(options.apply(run), null));
        } finally {
            LoopCheckpoint.afterSave = null;
        }
        TrainingInterrupt.clear();
        assertEquals(
                "interrupted", RunRecord.read(run.resolve("run.json")).get("status").getAsString());

        new GptLab().run(options.apply(run).resume(true), null);
        new GptLab().run(options.apply(tmp.resolve("whole")), null);
        JsonObject resumed = RunRecord.summaryOf(RunRecord.read(run.resolve("run.json")));
        JsonObject whole =
                RunRecord.summaryOf(RunRecord.read(tmp.resolve("whole").resolve("run.json")));
        assertEquals(8, resumed.get("steps").getAsInt());
        double a = resumed.get("validation_loss").getAsDouble();
        double b = whole.get("validation_loss").getAsDouble();
        assertTrue(
                Math.abs(a - b) < 0.5,
                "resumed after step 2 (fresh Adam moments), it ends near the uninterrupted run: "
                        + a
                        + " vs "
                        + b);
        assertTrue(
                a < Math.log(resumed.get("distinct_tokens").getAsDouble()),
                "it learned: below the uniform loss");
    }
}
