package org.dllab.labs.week12;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.labs.Lab;
import org.dllab.models.Llama;
import org.dllab.models.Llama2cTokenizer;
import org.dllab.models.LlamaConfig;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;

/**
 * Week 12: a real pretrained language model. Karpathy's stories260K — a Llama-2-architecture
 * decoder (RMSNorm, rotary positions, grouped-query attention, SwiGLU) trained on TinyStories —
 * loaded from its llama2.c checkpoint into {@link Llama} and run on DJL: (1) greedy decoding from
 * BOS, checked word for word against llama2.c's published output; (2) the same text with and
 * without the KV cache, and tokens per second for each; (3) seeded samples at a temperature from a
 * few prompts. Nothing is trained: this is what pretraining bought, next to {@code w12-gpt}'s model
 * trained from scratch on a CPU.
 */
public final class LlamaLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w12-llama";

    /**
     * llama2.c's doc/stories260K.md, {@code -t 0.0} from BOS: the independent reference for the
     * forward pass.
     */
    public static final String PUBLISHED_GREEDY =
            "Once upon a time, there was a little girl named Lily. She loved to play outside in the"
                    + " park. One day, she saw a big, red ball. She wanted to play with it, but it was too high";

    /**
     * Tokens generated per text ({@code --limit N} for fewer): long enough for a story's arc,
     * within 512 positions.
     */
    public static final int NEW_TOKENS = 256;

    /**
     * New tokens the published greedy text takes (measured: the 61st position, BOS first, ends it):
     * fewer cannot check it.
     */
    static final int PUBLISHED_TOKENS = 60;

    /**
     * Sampling temperature: below llama2.c's default of 1.0, a common choice for more coherent
     * samples (not tuned here).
     */
    public static final float TEMPERATURE = 0.8f;

    /** Prompts for the samples. */
    static final List<String> PROMPTS =
            List.of("Once upon a time", "Tom and his dog", "The little bird was sad because");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean smallOperations() {
        return true; // token-by-token generation: 310 -> 345-390 tokens/s on one thread
        // (docs/benchmarks.md, "Threads")
    }

    @Override
    public int week() {
        return 12;
    }

    @Override
    public String title() {
        return "A real pretrained Llama (stories260K): greedy text = llama2.c's published output; KV cache speed-up; samples";
    }

    @Override
    public Set<LabOption> options() {
        return EnumSet.of(LabOption.LIMIT, LabOption.GPU);
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.TINYLLAMAS, log);
        int newTokens = options.limit() == null ? NEW_TOKENS : options.limit();
        if (newTokens < PUBLISHED_TOKENS) {
            throw new IllegalArgumentException(
                    "--limit "
                            + newTokens
                            + ": the greedy check needs at least "
                            + PUBLISHED_TOKENS
                            + " new tokens");
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        StringBuilder samples = new StringBuilder();
        RunRecord record =
                run.record()
                        .config("checkpoint", "stories260K.bin")
                        .config("new_tokens", newTokens)
                        .config("temperature", TEMPERATURE);
        try (Llama model = Llama.load(folder.resolve("stories260K.bin"), device)) {
            LlamaConfig c = model.config();
            Llama2cTokenizer tok =
                    Llama2cTokenizer.read(folder.resolve("tok512.bin"), c.vocabSize());
            if (log != null) {
                log.printf(
                        "stories260K from %s: dim %d, %d layers, %d query / %d key-value heads, SwiGLU %d, vocabulary %d, %,d parameters%n",
                        folder,
                        c.dim(),
                        c.layers(),
                        c.heads(),
                        c.kvHeads(),
                        c.hiddenDim(),
                        c.vocabSize(),
                        c.parameters());
            }
            long[] bos = {Llama2cTokenizer.BOS};
            long t0 = System.nanoTime();
            long[] cached = model.generate(bos, newTokens, 0f, new Random(options.seed()), true);
            double cachedSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            long[] recomputed =
                    model.generate(bos, newTokens, 0f, new Random(options.seed()), false);
            double recomputedSeconds = (System.nanoTime() - t0) / 1e9;
            String greedy = tok.decode(cached);
            boolean matches = greedy.startsWith(PUBLISHED_GREEDY);
            boolean same = java.util.Arrays.equals(cached, recomputed);
            int generated = cached.length - 1;
            double cachedRate = generated / cachedSeconds;
            double recomputedRate = (recomputed.length - 1) / recomputedSeconds;
            samples.append("=== greedy (temperature 0) from BOS ===\n")
                    .append(greedy)
                    .append("\n\n");
            if (log != null) {
                log.printf("Greedy from BOS (%d tokens):%n%s%n", generated, greedy);
                log.printf(
                        "llama2.c's published greedy text: %s. Without the cache: %s.%n",
                        matches ? "reproduced word for word" : "NOT reproduced",
                        same ? "the same tokens" : "DIFFERENT tokens");
                log.printf(
                        "Speed: %.0f tokens/s with the KV cache, %.0f without (%.1fx)%n",
                        cachedRate, recomputedRate, cachedRate / recomputedRate);
            }
            List<List<String>> rows = new ArrayList<>();
            Random random = new Random(options.seed());
            for (String prompt : PROMPTS) {
                long[] ids = tok.encode(prompt, true, false);
                String text = tok.decode(model.generate(ids, newTokens, TEMPERATURE, random, true));
                samples.append("=== temperature ")
                        .append(TEMPERATURE)
                        .append(", prompt \"")
                        .append(prompt)
                        .append("\" ===\n")
                        .append(text)
                        .append("\n\n");
                rows.add(List.of(prompt, text));
                if (log != null) {
                    log.printf(
                            "%nPrompt \"%s\" (temperature %.1f):%n%s%n", prompt, TEMPERATURE, text);
                }
            }
            Files.writeString(
                    runDir.resolve("samples.txt"), samples.toString(), StandardCharsets.UTF_8);
            summary.put("matches_published_greedy", matches ? 1.0 : 0.0);
            summary.put("cache_gives_same_tokens", same ? 1.0 : 0.0);
            summary.put("tokens_per_second_cached", cachedRate);
            summary.put("tokens_per_second_recomputed", recomputedRate);
            summary.put("parameters", (double) c.parameters());
            double wall = run.seconds();
            record.result("greedy_text", greedy)
                    .result("matches_published_greedy", matches)
                    .result("cache_gives_same_tokens", same)
                    .result("tokens_per_second_cached", cachedRate)
                    .result("tokens_per_second_recomputed", recomputedRate)
                    .result("parameters", c.parameters())
                    .result("samples", rows);
            run.save();
            new HtmlReport("Week 12: a real pretrained Llama (stories260K)")
                    .paragraph(
                            String.format(
                                    Locale.ROOT,
                                    "Llama-2 architecture: dim %d, %d layers, %d query and %d key/value heads (grouped-query"
                                            + " attention), SwiGLU %d, rotary positions, vocabulary %d; %,d parameters trained by Karpathy on TinyStories.",
                                    c.dim(),
                                    c.layers(),
                                    c.heads(),
                                    c.kvHeads(),
                                    c.hiddenDim(),
                                    c.vocabSize(),
                                    c.parameters()))
                    .paragraph(
                            "Greedy from BOS "
                                    + (matches ? "reproduces" : "does NOT reproduce")
                                    + " llama2.c's published output for this checkpoint word for word; without the KV cache the tokens are "
                                    + (same ? "the same." : "DIFFERENT."))
                    .preformatted(greedy)
                    .table(
                            List.of("decoding", "tokens/s"),
                            List.of(
                                    List.of(
                                            "with the KV cache",
                                            String.format(Locale.ROOT, "%.0f", cachedRate)),
                                    List.of(
                                            "recomputing the whole sequence each step",
                                            String.format(Locale.ROOT, "%.0f", recomputedRate))))
                    .table(
                            List.of(
                                    "prompt",
                                    "sample (temperature "
                                            + TEMPERATURE
                                            + ", seed "
                                            + options.seed()
                                            + ")"),
                            rows)
                    .write(runDir);
            if (!matches || !same) {
                throw new IllegalStateException(
                        "the forward pass does not reproduce the published greedy text (see "
                                + runDir
                                + ")");
            }
        }
        if (log != null) {
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, List.of(), summary);
    }

    /**
     * The pretrained Llama beside week 12's own GPT: greedy and temperature samples from one
     * prompt, with tokens/s with and without the KV cache.
     *
     * @param folder the tinyllamas folder
     * @param prompt the prompt
     * @param newTokens tokens to generate
     * @param seed the sampling seed
     * @param summary receives {@code llama_tokens_per_second_cached} and {@code _recomputed}
     * @return rows: decoding, text, tokens/s
     * @throws IOException when the checkpoint or tokenizer cannot be read
     */
    static List<List<String>> besideTheGpt(
            Path folder, String prompt, int newTokens, long seed, Map<String, Double> summary)
            throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Llama model = Llama.load(folder.resolve("stories260K.bin"), Device.cpu())) {
            Llama2cTokenizer tok =
                    Llama2cTokenizer.read(folder.resolve("tok512.bin"), model.config().vocabSize());
            long[] ids = tok.encode(prompt, true, false);
            for (boolean cache : new boolean[] {true, false}) {
                long t0 = System.nanoTime();
                long[] out = model.generate(ids, newTokens, 0f, new Random(seed), cache);
                double rate = (out.length - ids.length) / ((System.nanoTime() - t0) / 1e9);
                summary.put("llama_tokens_per_second_" + (cache ? "cached" : "recomputed"), rate);
                rows.add(
                        List.of(
                                "greedy, " + (cache ? "with" : "without") + " the KV cache",
                                tok.decode(out),
                                String.format(Locale.ROOT, "%.0f", rate)));
            }
            long t0 = System.nanoTime();
            long[] sampled = model.generate(ids, newTokens, TEMPERATURE, new Random(seed), true);
            double rate = (sampled.length - ids.length) / ((System.nanoTime() - t0) / 1e9);
            rows.add(
                    List.of(
                            "temperature " + TEMPERATURE + ", with the cache",
                            tok.decode(sampled),
                            String.format(Locale.ROOT, "%.0f", rate)));
        }
        return rows;
    }
}
