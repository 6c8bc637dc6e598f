package org.dllab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPT-2: Hugging Face checkpoints in and out, causality, the KV cache, GELU, sampling, and that it
 * learns.
 */
class Gpt2Test {

    private static final Gpt2.Config TINY = new Gpt2.Config(50, 16, 16, 2, 2);

    @TempDir Path tmp;

    private static float[] logits(Gpt2 model, NDManager m, long... ids) {
        return model.forward(m.create(ids, new Shape(1, ids.length)), null).toFloatArray();
    }

    @Test
    void aCheckpointInHuggingFacesFormatLoadsToTheSameLogits() throws IOException {
        DjlRuntime.engine(1);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2 source = new Gpt2(TINY, m)) {
            // written the way Hugging Face's files are: "transformer." names, the causal-mask
            // buffers, an lm_head copy
            Path dir = tmp.resolve("hf");
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("config.json"),
                    "{\"model_type\":\"gpt2\",\"vocab_size\":50,\"n_positions\":16,\"n_embd\":16,"
                            + "\"n_head\":2,\"n_layer\":2,\"activation_function\":\"gelu_new\"}");
            NDList list = new NDList();
            for (Map.Entry<String, NDArray> p : source.parameters().entrySet()) {
                NDArray a = p.getValue().duplicate();
                a.setName("transformer." + p.getKey());
                list.add(a);
            }
            NDArray buffer = m.ones(new Shape(1, 1, 16, 16)).toType(DataType.FLOAT32, false);
            buffer.setName("transformer.h.0.attn.bias");
            list.add(buffer);
            NDArray head = source.parameters().get("wte.weight").duplicate();
            head.setName("lm_head.weight");
            list.add(head);
            try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
            try (Gpt2 loaded = Gpt2.load(dir, m)) {
                assertArrayEquals(logits(source, m, 3, 7, 11), logits(loaded, m, 3, 7, 11), 0f);
                assertEquals(source.parameterCount(), loaded.parameterCount());
            }
            // and our own save reloads too
            source.save(tmp.resolve("ours"));
            try (Gpt2 again = Gpt2.load(tmp.resolve("ours"), m)) {
                assertArrayEquals(logits(source, m, 1, 2), logits(again, m, 1, 2), 0f);
            }
        }
    }

    @Test
    void aCheckpointThatDoesNotFitSaysWhat() throws IOException {
        DjlRuntime.engine(1);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2 source = new Gpt2(TINY, m)) {
            source.save(tmp.resolve("c"));
            Files.writeString(
                    tmp.resolve("c/config.json"),
                    Files.readString(tmp.resolve("c/config.json"))
                            .replace("\"n_embd\":16", "\"n_embd\":32"));
            IOException e = assertThrows(IOException.class, () -> Gpt2.load(tmp.resolve("c"), m));
            assertTrue(
                    e.getMessage().contains("wte.weight") && e.getMessage().contains("config.json"),
                    e.getMessage());
            IOException missing =
                    assertThrows(IOException.class, () -> Gpt2.load(tmp.resolve("nothing"), m));
            assertTrue(missing.getMessage().contains("config.json"), missing.getMessage());
        }
    }

    @Test
    void laterTokensDoNotChangeEarlierLogits() {
        DjlRuntime.engine(2);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2 model = new Gpt2(TINY, m)) {
            float[] a = logits(model, m, 5, 6, 7, 8);
            float[] b = logits(model, m, 5, 6, 9, 40);
            for (int i = 0; i < 2 * 50; i++) {
                assertEquals(a[i], b[i], 1e-5, "position " + i / 50);
            }
            assertTrue(
                    Math.abs(a[2 * 50] - b[2 * 50]) > 0
                            || Math.abs(a[2 * 50 + 1] - b[2 * 50 + 1]) > 0,
                    "position 2 sees its own token");
        }
    }

    @Test
    void theKvCacheGivesTheSameLogitsAndTheSameGreedyText() {
        DjlRuntime.engine(3);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2 model = new Gpt2(TINY, m);
                Gpt2.KvCache cache = new Gpt2.KvCache(2, m)) {
            float[] full = logits(model, m, 4, 9, 2, 30, 12);
            model.forward(m.create(new long[] {4, 9, 2}, new Shape(1, 3)), cache);
            model.forward(m.create(new long[] {30}, new Shape(1, 1)), cache);
            float[] last =
                    model.forward(m.create(new long[] {12}, new Shape(1, 1)), cache).toFloatArray();
            assertEquals(5, cache.length());
            for (int v = 0; v < 50; v++) {
                assertEquals(full[4 * 50 + v], last[v], 1e-5, "token " + v);
            }
            long[] prompt = {1, 2, 3};
            assertArrayEquals(
                    Generation.generate(
                            model, prompt, 10, Generation.Sampling.GREEDY, new Random(1), false),
                    Generation.generate(
                            model, prompt, 10, Generation.Sampling.GREEDY, new Random(1), true));
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            Generation.generate(
                                    model,
                                    prompt,
                                    14,
                                    Generation.Sampling.GREEDY,
                                    new Random(1),
                                    true),
                    "past the context");
            long first =
                    Generation.generate(
                            model, prompt, 1, Generation.Sampling.GREEDY, new Random(1), true)[3];
            long[] suppressed =
                    Generation.generate(
                            model,
                            prompt,
                            3,
                            Generation.Sampling.GREEDY,
                            new Random(1),
                            true,
                            java.util.Set.of(first));
            assertNotEquals(
                    first,
                    suppressed[3],
                    "the greedy first token may not be chosen when it is suppressed");
        }
    }

    @Test
    void geluNewIsTheTanhApproximation() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x = {-3, -1, 0, 0.5f, 2};
            float[] y = Gpt2.geluNew(m.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                double expected =
                        0.5
                                * x[i]
                                * (1
                                        + Math.tanh(
                                                Math.sqrt(2 / Math.PI)
                                                        * (x[i] + 0.044715 * Math.pow(x[i], 3))));
                assertEquals(expected, y[i], 1e-6);
            }
        }
    }

    @Test
    void samplingRules() {
        float[] logits = {0, 3, 2, 1};
        Random r = new Random(5);
        assertEquals(1, Generation.choose(logits, Generation.Sampling.GREEDY, r));
        for (int i = 0; i < 50; i++) {
            assertEquals(
                    1,
                    Generation.choose(logits, new Generation.Sampling(1, 1, 1), r),
                    "top-1 is greedy");
            int t = Generation.choose(logits, new Generation.Sampling(1, 0, 0.8), r);
            assertTrue(t == 1 || t == 2, "top-p 0.8 keeps {1 (0.64), 2 (0.24)}: " + t);
        }
        int[] counts = new int[4];
        for (int i = 0; i < 4000; i++) {
            counts[Generation.choose(logits, new Generation.Sampling(1, 0, 1), r)]++;
        }
        assertEquals(
                4000 * Math.exp(3) / (1 + Math.exp(1) + Math.exp(2) + Math.exp(3)),
                counts[1],
                120,
                "plain sampling follows the softmax");
    }

    @Test
    void itLearnsARepeatingSequence() {
        DjlRuntime.engine(4);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2 model = new Gpt2(TINY, m)) {
            Optimizer adam = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(3e-3f)).build();
            long[] seq = new long[17];
            for (int i = 0; i < seq.length; i++) {
                seq[i] = 10 + i % 5;
            }
            float first = 0;
            float last = 0;
            for (int step = 0; step < 60; step++) {
                try (NDManager s = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = model.loss(s.create(seq, new Shape(1, seq.length)));
                    gc.backward(loss);
                    last = loss.getFloat();
                    if (step == 0) {
                        first = last;
                    }
                }
                model.step(adam);
            }
            assertTrue(first > 3 && last < 1.0, "loss " + first + " -> " + last);
        }
    }
}
