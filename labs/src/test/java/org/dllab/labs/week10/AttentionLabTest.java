package org.dllab.labs.week10;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab end to end on an easy synthetic sentiment set: the check against DJL, learning, the heat
 * map.
 */
class AttentionLabTest {

    @TempDir Path tmp;

    @Test
    void matchesDjlLearnsAndDrawsTheAttention() throws Exception {
        Fixtures.syntheticImdb(tmp.resolve("data"), 120, 2);
        LabResult r =
                new AttentionLab()
                        .run(
                                new RunOptions()
                                        .epochs(6)
                                        .learningRate(3e-3f)
                                        .dataDir(tmp.resolve("data"))
                                        .output(tmp.resolve("w10-attention"))
                                        .quiet(true),
                                new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertTrue(r.summary().get("max_abs_difference_vs_djl") < 1e-5, r.summary().toString());
        assertTrue(
                r.summary().get("best_test_accuracy") > 0.9,
                "one sentiment word per review: " + r.summary());
        assertTrue(Files.size(tmp.resolve("w10-attention/attention.png")) > 5000);
        assertTrue(
                Files.readString(tmp.resolve("w10-attention/report.html"))
                        .contains("run 'dllab run w08-imdb-rnn' to compare"),
                "without a week-8 run folder beside it, the report says how to get the comparison");
        assertEquals(
                "completed",
                org.dllab.run.RunRecord.read(tmp.resolve("w10-attention/run.json"))
                        .get("status")
                        .getAsString());
    }

    @Test
    void waimaiCharactersAndAHeatMapInAFontThatHasThem() throws Exception {
        Path data =
                org.dllab.testing.TestData.require(org.dllab.data.DatasetCatalog.WAIMAI)
                        .getParent();
        LabResult r =
                new AttentionLab()
                        .run(
                                new RunOptions()
                                        .epochs(1)
                                        .maxBatches(3)
                                        .limit(400)
                                        .dataDir(data)
                                        .dataset("waimai-chars")
                                        .output(tmp.resolve("w10-attention-waimai-chars"))
                                        .quiet(true),
                                new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertTrue(
                r.summary().get("test_macro_f1") >= 0
                        && r.summary().containsKey("best_validation_accuracy"),
                r.summary().toString());
        var results =
                org.dllab.run.RunRecord.summaryOf(
                        org.dllab.run.RunRecord.read(
                                tmp.resolve("w10-attention-waimai-chars/run.json")));
        boolean fontHere =
                org.dllab.run.Fonts.displaying("好吃送餐很快", java.awt.Font.PLAIN, 13).isPresent();
        assertEquals(
                fontHere,
                results.get("heatmap_glyphs").getAsBoolean(),
                "tokens as text exactly when a font has them");
        assertTrue(Files.size(tmp.resolve("w10-attention-waimai-chars/attention.png")) > 5000);
        assertTrue(
                Files.readString(tmp.resolve("w10-attention-waimai-chars/report.html"))
                        .contains("run 'dllab run w08-imdb-rnn --dataset waimai-chars' to compare"),
                "compares with week 8 on the same data");
    }

    @Test
    void heatMapFallsBackToIdsWithoutAFont() throws Exception {
        // U+10FFFD is a private-use character no font draws: the labels become ids instead of boxes
        String[] tokens = {"\uDBFF\uDFFD", "好", "<pad>"};
        boolean glyphs =
                AttentionLab.heatMap(
                        new org.dllab.text.SentimentCorpus.Sample(
                                tokens, new long[] {7, 8, 0}, new long[] {1, 1, 0}),
                        new float[][] {{0.5f, 0.5f, 0}, {0.2f, 0.8f, 0}, {0, 0, 0}},
                        tmp.resolve("fallback.png"));
        assertEquals(false, glyphs);
        assertTrue(Files.size(tmp.resolve("fallback.png")) > 1000);
    }
}
