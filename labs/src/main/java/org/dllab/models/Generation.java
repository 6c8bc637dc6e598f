package org.dllab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.dllab.run.TrainingInterrupt;

/**
 * Text generation from a {@link Gpt2}: one token at a time, chosen greedily or sampled with a
 * temperature, top-k (only the k likeliest tokens) and top-p (the smallest set of tokens whose
 * probabilities add up to p, "nucleus").
 */
public final class Generation {

    /**
     * How the next token is chosen.
     *
     * @param temperature 0 for greedy; otherwise logits are divided by it before the softmax (below
     *     1: bolder)
     * @param topK keep only the k likeliest tokens (0: all)
     * @param topP keep the smallest set whose probability reaches p (1: all)
     */
    public record Sampling(double temperature, int topK, double topP) {

        /** Always the likeliest token. */
        public static final Sampling GREEDY = new Sampling(0, 0, 1);

        /** Validates. */
        public Sampling {
            if (temperature < 0 || topK < 0 || topP <= 0 || topP > 1) {
                throw new IllegalArgumentException(
                        "temperature >= 0, top-k >= 0 and 0 < top-p <= 1, got "
                                + temperature
                                + ", "
                                + topK
                                + ", "
                                + topP);
            }
        }
    }

    private Generation() {}

    /**
     * Continues a prompt.
     *
     * @param model the model
     * @param prompt token ids (at least one)
     * @param newTokens how many to add (prompt + new must fit the model's context)
     * @param sampling the choice rule
     * @param random for sampling
     * @param useCache keep keys and values (one position of work per token) or recompute the whole
     *     prefix each time
     * @return prompt followed by the new tokens
     */
    public static long[] generate(
            Gpt2 model,
            long[] prompt,
            int newTokens,
            Sampling sampling,
            Random random,
            boolean useCache) {
        return generate(model, prompt, newTokens, sampling, random, useCache, java.util.Set.of());
    }

    /**
     * Continues a prompt, never starting with one of {@code notFirst} (Hugging Face's {@code
     * begin_suppress_tokens}: with end-of-text and blank tokens there, an answer cannot be empty,
     * so a weak model shows what it would say).
     *
     * @param model the model
     * @param prompt token ids (at least one)
     * @param newTokens how many to add
     * @param sampling the choice rule
     * @param random for sampling
     * @param useCache keep keys and values
     * @param notFirst token ids the first new token may not be
     * @return prompt followed by the new tokens
     */
    public static long[] generate(
            Gpt2 model,
            long[] prompt,
            int newTokens,
            Sampling sampling,
            Random random,
            boolean useCache,
            java.util.Set<Long> notFirst) {
        if (prompt.length == 0 || prompt.length + newTokens > model.config().contextLength()) {
            throw new IllegalArgumentException(
                    "prompt of "
                            + prompt.length
                            + " + "
                            + newTokens
                            + " new tokens must be 1.."
                            + model.config().contextLength()
                            + " positions");
        }
        long[] out = Arrays.copyOf(prompt, prompt.length + newTokens);
        try (NDManager m = NDManager.newBaseManager();
                Gpt2.KvCache cache =
                        useCache ? new Gpt2.KvCache(model.config().layers(), m) : null) {
            int length = prompt.length;
            for (int i = 0; i < newTokens; i++) {
                TrainingInterrupt.check(); // a signal stops the run here, between steps
                try (NDManager step = m.newSubManager()) {
                    long[] feed =
                            useCache && i > 0
                                    ? new long[] {out[length - 1]}
                                    : Arrays.copyOf(out, length);
                    NDArray logits =
                            model.forward(step.create(feed, new Shape(1, feed.length)), cache);
                    float[] last = logits.get("0, -1, :").toFloatArray();
                    if (i == 0) {
                        notFirst.forEach(id -> last[(int) (long) id] = Float.NEGATIVE_INFINITY);
                    }
                    out[length++] = choose(last, sampling, random);
                }
            }
        }
        return out;
    }

    /**
     * Chooses a token from logits.
     *
     * @param logits one per vocabulary entry
     * @param sampling the rule
     * @param random for sampling
     * @return the token id
     */
    public static int choose(float[] logits, Sampling sampling, Random random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        if (sampling.temperature() == 0) {
            return best;
        }
        Integer[] order = new Integer[logits.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = sampling.topK() > 0 ? Math.min(sampling.topK(), logits.length) : logits.length;
        double[] p = new double[keep];
        double sum = 0;
        for (int r = 0; r < keep; r++) {
            p[r] = Math.exp((logits[order[r]] - logits[best]) / sampling.temperature());
            sum += p[r];
        }
        double cumulative = 0;
        int nucleus = keep;
        for (int r = 0; r < keep; r++) {
            p[r] /= sum;
            cumulative += p[r];
            if (cumulative >= sampling.topP()) {
                nucleus = r + 1;
                break;
            }
        }
        double total = 0;
        for (int r = 0; r < nucleus; r++) {
            total += p[r];
        }
        double u = random.nextDouble() * total;
        for (int r = 0; r < nucleus; r++) {
            u -= p[r];
            if (u <= 0) {
                return order[r];
            }
        }
        return order[nucleus - 1];
    }
}
