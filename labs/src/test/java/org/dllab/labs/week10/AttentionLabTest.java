package org.dllab.labs.week10;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.labs.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab end to end on an easy synthetic sentiment set: the check against DJL, learning, the heat map. */
class AttentionLabTest {

    @TempDir
    Path tmp;

    @Test
    void matchesDjlLearnsAndDrawsTheAttention() throws Exception {
        Fixtures.syntheticImdb(tmp.resolve("data"), 120, 2);
        LabResult r = new AttentionLab().run(new RunOptions().epochs(6).learningRate(3e-3f).dataDir(tmp.resolve("data"))
                .output(tmp.resolve("w10-attention")).quiet(true), new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertTrue(r.summary().get("max_abs_difference_vs_djl") < 1e-5, r.summary().toString());
        assertTrue(r.summary().get("best_test_accuracy") > 0.9, "one sentiment word per review: " + r.summary());
        assertTrue(Files.size(tmp.resolve("w10-attention/attention.png")) > 5000);
        assertTrue(Files.readString(tmp.resolve("w10-attention/report.html")).contains("run 'dllab run w08-imdb-rnn' to compare"),
                "without a week-8 run folder beside it, the report says how to get the comparison");
        assertEquals("completed", org.dllab.run.RunRecord.read(tmp.resolve("w10-attention/run.json")).get("status").getAsString());
    }
}
