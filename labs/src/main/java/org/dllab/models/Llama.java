package org.dllab.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A Llama-2-architecture decoder, the whole model in one file, for inference on DJL's PyTorch
 * engine: token embedding; per layer RMSNorm → grouped-query attention with rotary positions
 * (llama2.c's interleaved pairs) → residual, RMSNorm → SwiGLU feed-forward → residual; final
 * RMSNorm; the classifier (tied to the embedding in the tinyllamas). A {@link KvCache} keeps each
 * layer's keys and values so that generating token n costs one position, not n.
 *
 * <p>Weights are held under Hugging Face {@code LlamaForCausalLM} names ({@link
 * Llama2cCheckpoint}).
 */
public final class Llama implements AutoCloseable {

    private final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> w = new java.util.HashMap<>();
    private final NDArray cos;
    private final NDArray sin;
    private final NDArray classifier;

    private Llama(
            LlamaConfig config,
            Map<String, float[]> tensors,
            Map<String, long[]> shapes,
            Device device) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        tensors.forEach(
                (name, values) -> {
                    NDArray a = manager.create(values, new Shape(shapes.get(name)));
                    w.put(
                            name,
                            name.endsWith("_proj.weight")
                                    ? a.transpose()
                                    : a); // (in, out) for x·W, once
                });
        classifier =
                w.get(config.sharedClassifier() ? "model.embed_tokens.weight" : "lm_head.weight")
                        .transpose();
        // rotary tables for every position and every (even, odd) pair of every head, interleaved as
        // the pairs are:
        // rope(x) = x * cos + swapped(x) * sin, where swapped turns (x0, x1) into (x1, x0) and sin
        // carries the signs
        int d = config.dim();
        int hs = config.headSize();
        float[] c = new float[config.maxSeqLen() * d];
        float[] s = new float[c.length];
        for (int pos = 0; pos < config.maxSeqLen(); pos++) {
            for (int i = 0; i < d; i += 2) {
                double angle = pos / Math.pow(LlamaConfig.ROPE_THETA, (double) (i % hs) / hs);
                c[pos * d + i] = (float) Math.cos(angle);
                c[pos * d + i + 1] = (float) Math.cos(angle);
                s[pos * d + i] = (float) -Math.sin(angle); // x0' = x0 cos - x1 sin
                s[pos * d + i + 1] = (float) Math.sin(angle); // x1' = x1 cos + x0 sin
            }
        }
        cos = manager.create(c, new Shape(config.maxSeqLen(), d));
        sin = manager.create(s, new Shape(config.maxSeqLen(), d));
    }

    /**
     * Loads a checkpoint: a llama2.c {@code .bin} file, or a folder with a Hugging Face {@code
     * LlamaForCausalLM} ({@code config.json} + {@code model.safetensors}, see {@link
     * HfLlamaCheckpoint}).
     *
     * @param checkpoint the .bin file or the folder
     * @param device where the weights live
     * @return the model (close it)
     * @throws IOException when the file is missing, truncated or not a checkpoint of either kind
     */
    public static Llama load(Path checkpoint, Device device) throws IOException {
        Llama2cCheckpoint.Weights weights =
                java.nio.file.Files.isDirectory(checkpoint)
                        ? HfLlamaCheckpoint.read(checkpoint)
                        : Llama2cCheckpoint.read(checkpoint);
        return new Llama(weights.config(), weights.tensors(), weights.shapes(), device);
    }

    /**
     * The shape.
     *
     * @return the config
     */
    public LlamaConfig config() {
        return config;
    }

    /**
     * A new, empty cache.
     *
     * @return the cache (close it)
     */
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config.layers());
    }

    /**
     * The logits of new positions. With a cache, {@code tokens} follow the cached positions and the
     * cache grows by them; without one, they start at position 0.
     *
     * @param m owns the result and the intermediates
     * @param tokens token ids
     * @param cache the cache, or null
     * @return (T, vocab) logits
     */
    public NDArray forward(NDManager m, long[] tokens, KvCache cache) {
        int t = tokens.length;
        int past = cache == null ? 0 : cache.length;
        if (t == 0) {
            throw new IllegalArgumentException("no tokens to run");
        }
        if (past + t > config.maxSeqLen()) {
            throw new IllegalArgumentException(
                    (past + t) + " positions, the model has " + config.maxSeqLen());
        }
        int hs = config.headSize();
        int heads = config.heads();
        int kvHeads = config.kvHeads();
        NDArray x =
                w.get("model.embed_tokens.weight")
                        .get(new NDIndex("{}", m.create(tokens))); // (T, dim)
        x.attach(m);
        NDArray c =
                cos.get(past + ":" + (past + t)); // queries' tables; the keys' are the first kvDim
        // columns (the pattern repeats per head)
        NDArray s = sin.get(past + ":" + (past + t));
        c.attach(m);
        s.attach(m);
        NDArray ck = c.get(":, :" + config.kvDim());
        NDArray sk = s.get(":, :" + config.kvDim());
        NDArray mask =
                t == 1
                        ? null
                        : causalOffset(
                                m, t,
                                past); // (T, past + T): 0 where allowed, -inf after the query's
        // position
        for (int l = 0; l < config.layers(); l++) {
            String n = "model.layers." + l + ".";
            NDArray h = rmsNorm(x, w.get(n + "input_layernorm.weight"));
            NDArray q =
                    rope(linear(h, n + "self_attn.q_proj.weight"), c, s)
                            .reshape(t, heads, hs)
                            .transpose(1, 0, 2);
            NDArray k =
                    rope(linear(h, n + "self_attn.k_proj.weight"), ck, sk)
                            .reshape(t, kvHeads, hs)
                            .transpose(1, 2, 0); // keys as (kv, hs, T)
            NDArray v =
                    linear(h, n + "self_attn.v_proj.weight")
                            .reshape(t, kvHeads, hs)
                            .transpose(1, 0, 2);
            if (cache != null) {
                NDArray[] all = cache.append(l, k, v);
                k = all[0];
                v = all[1];
            }
            // grouped-query attention: the query heads that share a key/value head are stacked
            // along the rows, so the
            // cached keys and values are read as they are (every op's first operand stays in this
            // step's manager)
            int group = heads / kvHeads;
            long len = v.getShape().get(1);
            NDArray scores =
                    q.reshape(kvHeads, group * t, hs)
                            .matMul(k)
                            .div((float) Math.sqrt(hs))
                            .reshape(kvHeads, group, t, len);
            if (mask != null) { // one new position may attend to everything before it
                scores = scores.add(mask);
            }
            NDArray attended =
                    scores.softmax(-1)
                            .reshape(kvHeads, group * t, len)
                            .matMul(v)
                            .reshape(heads, t, hs)
                            .transpose(1, 0, 2)
                            .reshape(t, config.dim());
            x = x.add(linear(attended, n + "self_attn.o_proj.weight"));
            NDArray f = rmsNorm(x, w.get(n + "post_attention_layernorm.weight"));
            NDArray gate = linear(f, n + "mlp.gate_proj.weight");
            NDArray swiglu =
                    gate.mul(gate.getNDArrayInternal().sigmoid())
                            .mul(linear(f, n + "mlp.up_proj.weight"));
            x = x.add(linear(swiglu, n + "mlp.down_proj.weight"));
        }
        if (cache != null) {
            cache.length = past + t;
        }
        x = rmsNorm(x, w.get("model.norm.weight"));
        return x.matMul(classifier);
    }

    private NDArray linear(NDArray x, String weight) {
        return x.matMul(w.get(weight)); // stored transposed at load: HF and llama2.c keep (out, in)
    }

    private static NDArray rmsNorm(NDArray x, NDArray weight) {
        return x.div(x.square().mean(new int[] {-1}, true).add(LlamaConfig.NORM_EPS).sqrt())
                .mul(weight);
    }

    /**
     * Rotates each (even, odd) pair of every head by its position's angle; {@code cos}, {@code
     * sin}: (T, dim) rows.
     */
    private static NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        long t = x.getShape().get(0);
        long d = x.getShape().get(1);
        NDArray swapped = x.reshape(t, d / 2, 2).flip(2).reshape(t, d);
        return x.mul(cos).add(swapped.mul(sin));
    }

    private static NDArray causalOffset(NDManager m, int t, int past) {
        float[] v = new float[t * (past + t)];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < past + t; j++) {
                v[i * (past + t) + j] = j > past + i ? Float.NEGATIVE_INFINITY : 0f;
            }
        }
        return m.create(v, new Shape(t, past + t));
    }

    /**
     * Generates tokens after a prompt: greedy at temperature 0 (llama2.c's argmax), else sampled
     * from the temperature-scaled softmax. Stops early at BOS, as llama2.c does.
     *
     * @param prompt the prompt tokens, BOS first
     * @param newTokens most tokens to add
     * @param temperature 0 for greedy
     * @param random the sampler's randomness
     * @param useCache reuse keys and values (one position per step) or recompute the whole sequence
     *     each step
     * @return the prompt followed by the generated tokens
     */
    public long[] generate(
            long[] prompt, int newTokens, float temperature, Random random, boolean useCache) {
        long[] out = java.util.Arrays.copyOf(prompt, prompt.length + newTokens);
        int n = prompt.length;
        try (KvCache cache = useCache ? newCache() : null) {
            for (int step = 0; step < newTokens && n < config.maxSeqLen(); step++) {
                try (NDManager m = manager.newSubManager()) {
                    long[] input =
                            useCache
                                    ? (step == 0 ? prompt : new long[] {out[n - 1]})
                                    : java.util.Arrays.copyOf(out, n);
                    NDArray logits = forward(m, input, cache);
                    float[] last = logits.get(logits.getShape().get(0) - 1).toFloatArray();
                    int next = temperature <= 0 ? argMax(last) : sample(last, temperature, random);
                    if (next == Llama2cTokenizer.BOS) {
                        break;
                    }
                    out[n++] = next;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int sample(float[] logits, float temperature, Random random) {
        double max = logits[argMax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            r -= p[i];
            if (r <= 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Each layer's keys (kvHeads, headSize, positions) and values (kvHeads, positions, headSize),
     * in a manager of their own.
     */
    public static final class KvCache implements AutoCloseable {
        private final NDManager manager;
        private final NDArray[] keys;
        private final NDArray[] values;
        private int length;

        KvCache(NDManager manager, int layers) {
            this.manager = manager;
            this.keys = new NDArray[layers];
            this.values = new NDArray[layers];
        }

        /**
         * Positions cached.
         *
         * @return the count
         */
        public int length() {
            return length;
        }

        NDArray[] append(int layer, NDArray k, NDArray v) {
            NDArray nk = keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 2);
            NDArray nv = values[layer] == null ? v.duplicate() : values[layer].concat(v, 1);
            nk.attach(manager);
            nv.attach(manager);
            if (keys[layer] != null) {
                keys[layer].close();
                values[layer].close();
            }
            keys[layer] = nk;
            values[layer] = nv;
            return new NDArray[] {nk, nv};
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
