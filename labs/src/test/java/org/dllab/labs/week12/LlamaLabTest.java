package org.dllab.labs.week12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the lab on the real checkpoint: the published text, the cache, the samples on
 * disk.
 */
class LlamaLabTest {

    private static final PrintStream QUIET =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir Path tmp;

    @Test
    void reproducesThePublishedGreedyTextAndWritesSamples() throws Exception {
        Path data = TestData.require(DatasetCatalog.TINYLLAMAS).getParent();
        RunOptions o =
                new RunOptions()
                        .limit(LlamaLab.PUBLISHED_TOKENS)
                        .seed(3)
                        .dataDir(data)
                        .output(tmp.resolve("run"))
                        .quiet(true);
        LabResult r = new LlamaLab().run(o, QUIET);
        assertEquals(1.0, r.summary().get("matches_published_greedy"));
        assertEquals(1.0, r.summary().get("cache_gives_same_tokens"));
        String samples = Files.readString(tmp.resolve("run/samples.txt"));
        assertTrue(samples.contains("prompt \"Tom and his dog\" ===\nTom and his dog"), samples);
        LabResult again = new LlamaLab().run(o.output(tmp.resolve("again")), QUIET);
        assertEquals(
                samples,
                Files.readString(tmp.resolve("again/samples.txt")),
                "the same seed, the same samples");
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new LlamaLab()
                                .run(
                                        new RunOptions()
                                                .limit(10)
                                                .dataDir(data)
                                                .output(tmp.resolve("short"))
                                                .quiet(true),
                                        QUIET));
        assertTrue(again.summary().get("tokens_per_second_cached") > 0);
    }
}
