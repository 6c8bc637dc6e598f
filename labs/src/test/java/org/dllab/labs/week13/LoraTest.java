package org.dllab.labs.week13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DatasetCatalog;
import org.dllab.models.Gpt2;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on the GPT: starts as the base, trains only adapters, merges exactly; the instruction data;
 * a smoke run.
 */
class LoraTest {

    private static final Gpt2.Config TINY = new Gpt2.Config(40, 16, 16, 2, 2);

    @TempDir Path tmp;

    private static float[] logits(Gpt2 model, NDManager m) {
        return model.forward(m.create(new long[] {3, 9, 1, 30, 7}, new Shape(1, 5)), null)
                .toFloatArray();
    }

    @Test
    void adaptersStartAtTheBaseTrainAloneAndMergeExactly() {
        DjlRuntime.engine(6);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2 model = new Gpt2(TINY, m)) {
            float[] base = logits(model, m);
            Map<String, float[]> frozen = new java.util.HashMap<>();
            model.parameters().forEach((k, v) -> frozen.put(k, v.toFloatArray()));
            GptLora lora = GptLora.attach(model, 4, 8, 0, Set.of("q", "k", "v", "o"));
            assertArrayEquals(base, logits(model, m), 0f, "B = 0: a fresh adapter changes nothing");
            assertEquals(
                    2 * 4 * (16 * 4 + 4 * 16),
                    model.trainableParameterCount(),
                    "layers x targets x (in r + r out)");
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build();
            for (int step = 0; step < 5; step++) {
                try (NDManager s = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(
                            model.loss(
                                    s.create(
                                            new long[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 8))));
                }
                model.step(adam);
            }
            model.parameters()
                    .forEach(
                            (k, v) ->
                                    assertArrayEquals(
                                            frozen.get(k),
                                            v.toFloatArray(),
                                            0f,
                                            k + " stayed frozen"));
            float[] adapted = logits(model, m);
            assertTrue(maxDiff(base, adapted) > 1e-3, "the adapters learned something");
            lora.merge(model);
            assertTrue(model.adapterParameters().isEmpty());
            assertTrue(
                    maxDiff(adapted, logits(model, m)) < 1e-5,
                    "merged = adapted: " + maxDiff(adapted, logits(model, m)));
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> {
                    try (NDManager m = NDManager.newBaseManager();
                            Gpt2 model = new Gpt2(TINY, m)) {
                        GptLora.attach(model, 4, 8, 0, Set.of("q", "ffn"));
                    }
                });
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void onlyResponseTargetsCount() {
        InstructionData.Example a =
                new InstructionData.Example(
                        new long[] {10, 11, 12, 20, 21, 99},
                        3); // prompt 10 11 12, response 20 21 EOT
        InstructionData.Example b = new InstructionData.Example(new long[] {10, 20, 99}, 1);
        Object[] batch = InstructionData.batch(List.of(a, b), 0);
        assertEquals(6, batch[2]);
        assertArrayEquals(
                new long[] {10, 11, 12, 20, 21, 99, 10, 20, 99, 0, 0, 0}, (long[]) batch[0]);
        // target at position i is token i + 1: a's targets 11 12 | 20 21 99 -> weights 0 0 1 1 1;
        // b's 20 99 | pads -> 1 1 0 0 0
        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 1, 0, 0, 0}, (float[]) batch[1]);
        InstructionData.Task t = new InstructionData.Task("n", "Add them.", "2 and 3", "5");
        assertEquals(
                "### Instruction:\nAdd them.\n### Input:\n2 and 3\n### Response:\n", t.prompt());
        assertEquals(
                "### Instruction:\nHi.\n### Response:\n",
                new InstructionData.Task("n", "Hi.", "", "x").prompt());
    }

    @Test
    void aBrokenTaskFileNamesTheLine() throws IOException {
        Files.writeString(
                tmp.resolve("seed_tasks.jsonl"),
                "{\"name\":\"a\",\"instruction\":\"i\",\"instances\":[{\"input\":\"\",\"output\":\"o\"}]}\n{oops\n");
        IOException e = assertThrows(IOException.class, () -> InstructionData.seedTasks(tmp));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void pretrainedEncoderSmokeRun() throws Exception {
        Path data = TestData.require(DatasetCatalog.EMOTION).getParent();
        Map<String, Double> s =
                new LoraLab()
                        .run(
                                new RunOptions()
                                        .limit(64)
                                        .epochs(1)
                                        .maxBatches(2)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp.resolve("enc")),
                                new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .summary();
        assertTrue(s.get("merge_max_difference") < 1e-4, s.toString());
        assertTrue(
                s.get("head_trainable") < s.get("lora_qv_trainable")
                        && s.get("lora_qv_trainable") < s.get("lora_all_trainable")
                        && s.get("lora_all_trainable") < 0.05 * s.get("full_trainable"),
                "LoRA trains under 5 %: " + s);
        for (String k : List.of("head", "lora_qv", "lora_all", "full")) {
            assertTrue(
                    s.get(k + "_test_accuracy") > 0 && s.get(k + "_test_macro_f1") <= 1,
                    k + " " + s);
        }
        assertTrue(Files.size(tmp.resolve("enc/parameters-vs-f1.png")) > 1000);
        assertTrue(
                Files.readString(tmp.resolve("enc/report.html"))
                        .contains("LoRA r=8 on q, k, v, o, ffn"));
    }

    @Test
    void smokeRun() throws Exception {
        Path data = TestData.require(DatasetCatalog.SELF_INSTRUCT).getParent();
        TestData.require(DatasetCatalog.TINY_SHAKESPEARE);
        Map<String, Double> s =
                new LoraLab()
                        .run(
                                new RunOptions()
                                        .dataset("self-instruct")
                                        .maxBatches(4)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp.resolve("run")),
                                new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .summary();
        assertTrue(s.get("merge_max_logit_difference") < 1e-4, s.toString());
        assertTrue(s.get("lora_trainable") < 0.1 * s.get("full_trainable"), s.toString());
        assertTrue(Files.size(tmp.resolve("run/merged/model.safetensors")) > 100_000);
        assertTrue(s.get("answers_scored") >= 10, "most held-out prompts fit the context: " + s);
        for (String k : List.of("base_answer_f1", "lora_answer_f1", "full_answer_f1")) {
            assertTrue(s.get(k) >= 0 && s.get(k) <= 1, k + " " + s);
        }
    }
}
