package org.dllab.labs.week12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dllab.data.DatasetCatalog;
import org.dllab.models.Gpt2;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run on real Tiny Shakespeare with the real GPT-2 tokenizer: it learns, writes a loadable
 * checkpoint, caches right.
 */
class GptLabTest {

    @TempDir Path tmp;

    @Test
    void smokeRunOnTinyShakespeare() throws Exception {
        Path data = TestData.require(DatasetCatalog.TINY_SHAKESPEARE).getParent();
        TestData.require(DatasetCatalog.GPT2_BPE);
        Map<String, Double> s =
                new GptLab()
                        .run(
                                new RunOptions()
                                        .maxBatches(12)
                                        .limit(100_000)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp.resolve("run")),
                                new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .summary();
        assertTrue(
                s.get("validation_loss") < Math.log(s.get("distinct_tokens")),
                "below a uniform guess after 12 steps: " + s);
        assertEquals(
                1.0,
                s.get("cache_same_text"),
                "greedy text is the same with and without the KV cache");
        TestData.require(DatasetCatalog.TINYLLAMAS);
        assertTrue(
                s.get("llama_tokens_per_second_cached") > 0
                        && s.get("llama_tokens_per_second_recomputed") > 0,
                "the pretrained Llama beside it: " + s);
        String report = Files.readString(tmp.resolve("run/report.html"));
        assertTrue(
                report.contains("Once upon a time, there was a little girl named Lily"),
                "the Llama's greedy story (llama2.c's published text)");
        Path checkpoint = tmp.resolve("run/checkpoint");
        assertTrue(Files.size(checkpoint.resolve("model.safetensors")) > 100_000);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                Gpt2 reloaded = Gpt2.load(checkpoint, m)) {
            assertEquals(s.get("parameters"), (double) reloaded.parameterCount());
        }
    }

    @Test
    void aLimitTooSmallForOneWindowIsRefusedWithTheFigure() throws Exception {
        Path data = TestData.require(DatasetCatalog.TINY_SHAKESPEARE).getParent();
        TestData.require(DatasetCatalog.GPT2_BPE);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new GptLab()
                                        .run(
                                                new RunOptions()
                                                        .maxBatches(1)
                                                        .limit(3_000)
                                                        .dataDir(data)
                                                        .quiet(true)
                                                        .output(tmp.resolve("small")),
                                                new PrintStream(
                                                        java.io.OutputStream.nullOutputStream())));
        assertTrue(
                e.getMessage().contains("--limit 3,000") && e.getMessage().contains("validation"),
                e.getMessage());
    }
}
