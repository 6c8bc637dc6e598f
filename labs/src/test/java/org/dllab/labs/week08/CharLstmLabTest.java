package org.dllab.labs.week08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character model learns a text with an obvious pattern, and samples from what it learned. */
class CharLstmLabTest {

    @TempDir Path tmp;

    @Test
    void learnsARepetitiveTextAndSamplesIt() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/tinyshakespeare"));
        Files.writeString(data.resolve("input.txt"), "ROMEO:\nla la land.\n".repeat(3000));
        LabResult r =
                new CharLstmLab()
                        .run(
                                new RunOptions()
                                        .epochs(2)
                                        .dataDir(tmp.resolve("data"))
                                        .output(tmp.resolve("run"))
                                        .quiet(true),
                                new PrintStream(java.io.OutputStream.nullOutputStream()));
        // 10 distinct characters: a model that learned nothing sits near ln 10 = 2.3 nats
        assertTrue(
                r.summary().get("validation_loss") < 0.5,
                "the pattern is learnable: " + r.summary());
        String samples = Files.readString(tmp.resolve("run/samples.txt"));
        assertTrue(samples.contains("=== temperature 0.5 ===\nROMEO:\n"), samples);
        assertTrue(
                samples.contains("la la land."), "the cold sample repeats the pattern: " + samples);
        assertTrue(Files.size(tmp.resolve("run/loss.png")) > 1000);
        assertEquals(
                "completed",
                org.dllab.run.RunRecord.read(tmp.resolve("run/run.json"))
                        .get("status")
                        .getAsString());
    }

    @Test
    void aFewBatchesStillDrawTheCurve() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/tinyshakespeare"));
        Files.writeString(data.resolve("input.txt"), "ROMEO:\nla la land.\n".repeat(500));
        LabResult r =
                new CharLstmLab()
                        .run(
                                new RunOptions()
                                        .epochs(1)
                                        .maxBatches(2)
                                        .dataDir(tmp.resolve("data"))
                                        .output(tmp.resolve("quick"))
                                        .quiet(true),
                                new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertTrue(
                Files.size(tmp.resolve("quick/loss.png")) > 1000,
                "--max-batches 2 (fewer steps than a curve point): " + r.summary());
    }

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        assertEquals("\n abc", CharLstmLab.charsOf("cab\nba c"));
        assertEquals(
                java.util.List.of(2L, 3L, 0L),
                java.util.Arrays.stream(CharLstmLab.encode("ab\n", "\n abc")).boxed().toList());
    }
}
