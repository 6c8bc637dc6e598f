package org.dllab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.DatasetFormatException;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real stories260K against llama2.c's published greedy output, with and without the cache;
 * broken files.
 */
class LlamaTest {

    /** llama2.c doc/stories260K.md: `./run stories260K.bin -z tok512.bin -t 0.0`, from BOS. */
    static final String KNOWN =
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a"
                    + " big, red ball. She wanted to play with it, but it was too high";

    static Path folder;

    @TempDir Path tmp;

    @BeforeAll
    static void engine() {
        DjlRuntime.engine(42);
        folder = TestData.require(DatasetCatalog.TINYLLAMAS);
    }

    @Test
    void greedyTextIsLlama2csPublishedOutputWithAndWithoutTheCache() throws IOException {
        try (Llama model = Llama.load(folder.resolve("stories260K.bin"), Device.cpu())) {
            LlamaConfig c = model.config();
            assertEquals(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, true), c);
            Llama2cTokenizer tok =
                    Llama2cTokenizer.read(folder.resolve("tok512.bin"), c.vocabSize());
            long[] cached =
                    model.generate(new long[] {Llama2cTokenizer.BOS}, 60, 0f, new Random(0), true);
            String text = tok.decode(cached);
            assertTrue(text.startsWith(KNOWN), "greedy from BOS:\n" + text);
            long[] recomputed =
                    model.generate(new long[] {Llama2cTokenizer.BOS}, 60, 0f, new Random(0), false);
            assertArrayEquals(cached, recomputed, "the cache changes the cost, not the tokens");
        }
    }

    @Test
    void cachedLogitsEqualRecomputedLogits() throws IOException {
        try (Llama model = Llama.load(folder.resolve("stories260K.bin"), Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            long[] tokens = {1, 403, 407, 261, 378, 30, 352, 265};
            NDArray full = model.forward(m, tokens, null);
            try (Llama.KvCache cache = model.newCache()) {
                model.forward(m, Arrays.copyOf(tokens, 5), cache);
                NDArray rest = model.forward(m, Arrays.copyOfRange(tokens, 5, 8), cache);
                assertEquals(8, cache.length());
                float diff = rest.sub(full.get("5:8")).abs().max().getFloat();
                assertTrue(diff < 1e-4f, "max |cached - recomputed| = " + diff);
            }
        }
    }

    @Test
    void tokenizerRoundTripsAndMergesAsLlama2c() throws IOException {
        Llama2cTokenizer tok = Llama2cTokenizer.read(folder.resolve("tok512.bin"), 512);
        String s = "Once upon a time, Lily saw a big red ball.";
        long[] ids = tok.encode(s, true, false);
        assertEquals(Llama2cTokenizer.BOS, ids[0]);
        assertTrue(ids.length < s.length() / 2, "pieces merge: " + Arrays.toString(ids));
        assertEquals(s, tok.decode(ids));
        assertEquals(
                "é",
                tok.decode(tok.encode("é", true, false)),
                "a character without a piece goes through its bytes");
    }

    @Test
    void brokenCheckpointsAreOneErrorNamingTheFile() throws IOException {
        byte[] good = Files.readAllBytes(folder.resolve("stories260K.bin"));
        Path cut = tmp.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(good, good.length - 1000));
        DatasetFormatException truncated =
                assertThrows(DatasetFormatException.class, () -> Llama2cCheckpoint.read(cut));
        assertTrue(
                truncated.getMessage().contains("cut.bin")
                        && truncated.getMessage().contains("truncated"),
                truncated.getMessage());
        Path zeros = tmp.resolve("zeros.bin");
        Files.write(zeros, new byte[64]);
        DatasetFormatException header =
                assertThrows(DatasetFormatException.class, () -> Llama2cCheckpoint.read(zeros));
        assertTrue(header.getMessage().contains("impossible header"), header.getMessage());
        Path tiny = tmp.resolve("tiny.bin");
        Files.write(tiny, new byte[5]);
        assertThrows(DatasetFormatException.class, () -> Llama2cCheckpoint.read(tiny));
        Path shortTok = tmp.resolve("tok.bin");
        Files.write(shortTok, Arrays.copyOf(Files.readAllBytes(folder.resolve("tok512.bin")), 300));
        DatasetFormatException tokErr =
                assertThrows(
                        DatasetFormatException.class, () -> Llama2cTokenizer.read(shortTok, 512));
        assertTrue(
                tokErr.getMessage().contains("tok.bin") && tokErr.getMessage().contains("token"),
                tokErr.getMessage());
    }

    @Test
    void huggingFaceCheckpointWithPermutedQkGivesTheSameText() throws IOException {
        // stories260K written the way Hugging Face's conversion script writes a Llama: HF names,
        // q/k rows permuted for
        // rotate-half, config.json; the loader must undo the permutation to reproduce llama2.c's
        // text
        Llama2cCheckpoint.Weights w = Llama2cCheckpoint.read(folder.resolve("stories260K.bin"));
        LlamaConfig c = w.config();
        Path hf = Files.createDirectories(tmp.resolve("hf"));
        Files.writeString(
                hf.resolve("config.json"),
                "{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 64, \"intermediate_size\": 172,"
                        + " \"num_hidden_layers\": 5, \"num_attention_heads\": 8, \"num_key_value_heads\": 4, \"vocab_size\": 512,"
                        + " \"max_position_embeddings\": 512, \"rms_norm_eps\": 1e-05, \"rope_theta\": 10000.0, \"tie_word_embeddings\": true}");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ai.djl.ndarray.NDList list = new ai.djl.ndarray.NDList();
            for (var e : w.tensors().entrySet()) {
                float[] v = e.getValue().clone();
                if (e.getKey().endsWith("q_proj.weight")) {
                    HfLlamaCheckpoint.permute(v, c.heads(), c.headSize(), c.dim());
                } else if (e.getKey().endsWith("k_proj.weight")) {
                    HfLlamaCheckpoint.permute(v, c.kvHeads(), c.headSize(), c.dim());
                }
                NDArray a = m.create(v, new ai.djl.ndarray.types.Shape(w.shapes().get(e.getKey())));
                a.setName(e.getKey());
                list.add(a);
            }
            try (java.io.OutputStream out =
                    Files.newOutputStream(hf.resolve("model.safetensors"))) {
                list.encode(out, ai.djl.ndarray.NDList.Encoding.SAFETENSORS);
            }
        }
        try (Llama model = Llama.load(hf, Device.cpu())) {
            assertEquals(c, model.config());
            Llama2cTokenizer tok =
                    Llama2cTokenizer.read(folder.resolve("tok512.bin"), c.vocabSize());
            String text =
                    tok.decode(
                            model.generate(
                                    new long[] {Llama2cTokenizer.BOS},
                                    60,
                                    0f,
                                    new Random(0),
                                    true));
            assertTrue(text.startsWith(KNOWN), text);
        }
        float[] row = {0, 1, 2, 3, 4, 5, 6, 7};
        HfLlamaCheckpoint.permute(row, 1, 8, 1);
        assertArrayEquals(
                new float[] {0, 2, 4, 6, 1, 3, 5, 7},
                row,
                0f,
                "HF's permute: evens first, then odds, per head");
        HfLlamaCheckpoint.unpermute(row, 1, 8, 1);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, row, 0f);
        Files.writeString(
                hf.resolve("config.json"),
                Files.readString(hf.resolve("config.json")).replace("10000.0", "500000.0"));
        IOException e = assertThrows(IOException.class, () -> Llama.load(hf, Device.cpu()));
        assertTrue(e.getMessage().contains("rope_theta"), e.getMessage());
    }
}
