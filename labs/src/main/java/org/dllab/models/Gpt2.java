package org.dllab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.optimizer.Optimizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dllab.core.Scalars;

/**
 * GPT-2 (Radford et al. 2019) in one file, with Hugging Face's parameter names and layouts so that
 * its checkpoints load as they are:
 *
 * <pre>
 *   ids (B, T) -> wte[ids] + wpe[positions]                                       (B, T, E)
 *   L blocks:  x += c_proj(causal self-attention(c_attn(ln_1(x))))      c_attn: E -> 3E (q, k, v)
 *              x += mlp.c_proj(gelu_new(mlp.c_fc(ln_2(x))))             c_fc: E -> 4E
 *   ln_f, then logits = x wte^T (the output layer is the token embedding, tied)    (B, T, V)
 * </pre>
 *
 * Hugging Face's GPT-2 stores its linear layers as {@code Conv1D}: the weight is (in, out) and the
 * layer computes {@code x W + b} — no transpose, unlike {@code nn.Linear}. With a {@link KvCache}
 * the keys and values of earlier positions are kept, so generating a token costs one position's
 * work instead of the whole prefix's.
 */
public final class Gpt2 implements AutoCloseable {

    /**
     * The size of a GPT-2.
     *
     * @param vocabularySize V (50,257 for OpenAI's)
     * @param contextLength the most positions (1,024 for OpenAI's)
     * @param embed E (768 for gpt2)
     * @param heads attention heads (12)
     * @param layers blocks (12; distilgpt2 has 6)
     */
    public record Config(int vocabularySize, int contextLength, int embed, int heads, int layers) {

        /** Validates. */
        public Config {
            if (embed % heads != 0) {
                throw new IllegalArgumentException(
                        "embed " + embed + " is not a multiple of heads " + heads);
            }
        }

        /**
         * Reads Hugging Face's {@code config.json} ({@code vocab_size}, {@code n_positions}, {@code
         * n_embd}, {@code n_head}, {@code n_layer}).
         *
         * @param file the file
         * @return the config
         * @throws IOException when it cannot be read or lacks a field
         */
        public static Config read(Path file) throws IOException {
            JsonObject o =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            try {
                int positions =
                        o.has("n_positions")
                                ? o.get("n_positions").getAsInt()
                                : o.get("n_ctx").getAsInt();
                return new Config(
                        o.get("vocab_size").getAsInt(),
                        positions,
                        o.get("n_embd").getAsInt(),
                        o.get("n_head").getAsInt(),
                        o.get("n_layer").getAsInt());
            } catch (RuntimeException e) {
                throw new IOException(
                        file
                                + " is not a GPT-2 config.json (needs vocab_size, n_positions, n_embd, n_head, n_layer)",
                        e);
            }
        }

        /**
         * Writes it in Hugging Face's form.
         *
         * @param file the file
         * @throws IOException when it cannot be written
         */
        public void write(Path file) throws IOException {
            JsonObject o = new JsonObject();
            o.addProperty("model_type", "gpt2");
            o.addProperty("vocab_size", vocabularySize);
            o.addProperty("n_positions", contextLength);
            o.addProperty("n_ctx", contextLength);
            o.addProperty("n_embd", embed);
            o.addProperty("n_head", heads);
            o.addProperty("n_layer", layers);
            o.addProperty("layer_norm_epsilon", 1e-5);
            o.addProperty("activation_function", "gelu_new");
            Files.writeString(file, o.toString(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The keys and values of the positions seen so far, one pair per block, each (B, heads, T, E /
     * heads).
     */
    public static final class KvCache implements AutoCloseable {
        private final NDManager manager;
        private final NDArray[] keys;
        private final NDArray[] values;
        private int length;

        /**
         * An empty cache.
         *
         * @param layers the model's blocks
         * @param parent the cache's arrays live in a sub-manager of this one
         */
        public KvCache(int layers, NDManager parent) {
            manager = parent.newSubManager();
            keys = new NDArray[layers];
            values = new NDArray[layers];
        }

        /** Appends one block's new keys and values; returns all of them. */
        NDArray[] append(int layer, NDArray k, NDArray v) {
            if (keys[layer] == null) {
                k.attach(manager);
                v.attach(manager);
                keys[layer] = k;
                values[layer] = v;
            } else {
                NDArray oldK = keys[layer];
                NDArray oldV = values[layer];
                keys[layer] = oldK.concat(k, 2); // in the cache's manager, like its first operand
                values[layer] = oldV.concat(v, 2);
                oldK.close();
                oldV.close();
            }
            return new NDArray[] {keys[layer], values[layer]};
        }

        @Override
        public void close() {
            manager.close();
        }

        /**
         * Positions cached.
         *
         * @return the count
         */
        public int length() {
            return length;
        }
    }

    private final NDManager manager;
    private final Config config;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private Adapter adapter;
    private boolean training;

    /**
     * Something trained beside the attention projections while the model's own weights stay frozen
     * (week 13's LoRA, {@code org.dllab.labs.week13.GptLora}): the model asks it for each
     * projection's output.
     */
    public interface Adapter {
        /**
         * The output of one projection.
         *
         * @param target {@code h.<layer>.attn.q}, {@code .k}, {@code .v} or {@code .o}
         * @param input the projection's input (B, T, E)
         * @param output the frozen projection's output (B, T, E)
         * @param training whether dropout acts
         * @return the output to use
         */
        NDArray adapt(String target, NDArray input, NDArray output, boolean training);

        /**
         * The adapter's trainable arrays, by name: {@link #step} updates them and {@link
         * #trainableParameterCount} counts them.
         *
         * @return name to array
         */
        Map<String, NDArray> parameters();
    }

    /**
     * A freshly initialised model, as GPT-2 initialises: weights N(0, 0.02), the residual
     * projections N(0, 0.02 / sqrt(2 L)), biases 0, LayerNorm gains 1. Draws from the engine's
     * generator.
     *
     * @param config the size
     * @param parent the manager it lives under (it gets its own)
     */
    public Gpt2(Config config, NDManager parent) {
        this.config = config;
        this.manager = parent.newSubManager();
        int e = config.embed();
        put("wte.weight", normal(new Shape(config.vocabularySize(), e), 0.02));
        put("wpe.weight", normal(new Shape(config.contextLength(), e), 0.01));
        double residual = 0.02 / Math.sqrt(2.0 * config.layers());
        for (int l = 0; l < config.layers(); l++) {
            String p = "h." + l + ".";
            put(p + "ln_1.weight", manager.ones(new Shape(e)));
            put(p + "ln_1.bias", manager.zeros(new Shape(e)));
            put(p + "attn.c_attn.weight", normal(new Shape(e, 3L * e), 0.02));
            put(p + "attn.c_attn.bias", manager.zeros(new Shape(3L * e)));
            put(p + "attn.c_proj.weight", normal(new Shape(e, e), residual));
            put(p + "attn.c_proj.bias", manager.zeros(new Shape(e)));
            put(p + "ln_2.weight", manager.ones(new Shape(e)));
            put(p + "ln_2.bias", manager.zeros(new Shape(e)));
            put(p + "mlp.c_fc.weight", normal(new Shape(e, 4L * e), 0.02));
            put(p + "mlp.c_fc.bias", manager.zeros(new Shape(4L * e)));
            put(p + "mlp.c_proj.weight", normal(new Shape(4L * e, e), residual));
            put(p + "mlp.c_proj.bias", manager.zeros(new Shape(e)));
        }
        put("ln_f.weight", manager.ones(new Shape(e)));
        put("ln_f.bias", manager.zeros(new Shape(e)));
    }

    private NDArray normal(Shape shape, double std) {
        return manager.randomNormal(0, (float) std, shape, DataType.FLOAT32);
    }

    private void put(String name, NDArray array) {
        array.setName(name);
        array.setRequiresGradient(true);
        params.put(name, array);
    }

    /**
     * Loads a Hugging Face GPT-2 checkpoint: {@code config.json} and {@code model.safetensors}
     * (names with or without the {@code transformer.} prefix; the attention-mask buffers and a
     * separate {@code lm_head} are ignored, since the head is tied).
     *
     * @param folder the checkpoint's folder
     * @param parent the manager the model lives under
     * @return the model
     * @throws IOException when a file is missing or a tensor is missing or of the wrong shape
     */
    public static Gpt2 load(Path folder, NDManager parent) throws IOException {
        Path configFile = folder.resolve("config.json");
        Path weights = folder.resolve("model.safetensors");
        for (Path f : new Path[] {configFile, weights}) {
            if (!Files.isRegularFile(f)) {
                throw new IOException(
                        "no "
                                + f.getFileName()
                                + " in "
                                + folder
                                + ": a GPT-2 checkpoint needs config.json and model.safetensors"
                                + " (e.g. from huggingface.co/gpt2 or /distilgpt2)");
            }
        }
        Gpt2 model = new Gpt2(Config.read(configFile), parent);
        try (NDManager tmp = parent.newSubManager();
                InputStream in = Files.newInputStream(weights)) {
            NDList list;
            try {
                list = NDList.decode(tmp, in);
            } catch (RuntimeException e) {
                throw new IOException(weights + " is not a safetensors file: " + e.getMessage(), e);
            }
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : list) {
                String name =
                        a.getName().startsWith("transformer.")
                                ? a.getName().substring("transformer.".length())
                                : a.getName();
                byName.put(name, a);
            }
            for (Map.Entry<String, NDArray> p : model.params.entrySet()) {
                NDArray source = byName.get(p.getKey());
                if (source == null) {
                    throw new IOException(weights + " has no tensor '" + p.getKey() + "'");
                }
                if (!source.getShape().equals(p.getValue().getShape())) {
                    throw new IOException(
                            weights
                                    + ": '"
                                    + p.getKey()
                                    + "' is "
                                    + source.getShape()
                                    + ", config.json implies "
                                    + p.getValue().getShape());
                }
                NDArray copy =
                        source.toType(DataType.FLOAT32, false)
                                .duplicate(); // libtorch's memory, fp16 checkpoints too
                copy.attach(model.manager);
                p.getValue().close();
                model.put(p.getKey(), copy);
            }
        }
        return model;
    }

    /**
     * Saves as a Hugging Face GPT-2 checkpoint ({@code config.json}, {@code model.safetensors}).
     *
     * @param folder where to write
     * @throws IOException when it cannot be written
     */
    public void save(Path folder) throws IOException {
        Files.createDirectories(folder);
        config.write(folder.resolve("config.json"));
        NDList list = new NDList();
        params.forEach(
                (name, a) -> {
                    NDArray c = a.duplicate();
                    c.setName(name);
                    list.add(c);
                });
        try (OutputStream out = Files.newOutputStream(folder.resolve("model.safetensors"))) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        } finally {
            list.close();
        }
    }

    /**
     * The logits for some new positions. With a cache, {@code ids} are the positions after the
     * cached ones and the cache grows by them; without one, they start at position 0.
     *
     * @param ids (B, T) token ids (int64)
     * @param cache the cache, or null
     * @return (B, T, V) logits, in ids' manager
     */
    public NDArray forward(NDArray ids, KvCache cache) {
        long b = ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        int past = cache == null ? 0 : cache.length;
        if (past + t > config.contextLength()) {
            throw new IllegalArgumentException(
                    (past + t) + " positions, the model has " + config.contextLength());
        }
        int e = config.embed();
        int h = config.heads();
        int d = e / h;
        NDArray wte = p("wte.weight");
        NDArray x =
                ids.getNDArrayInternal()
                        .embedding(ids, wte, SparseFormat.DENSE)
                        .head()
                        .add(p("wpe.weight").get(past + ":" + (past + t)));
        NDArray mask = causalOffset(ids.getManager(), t, past);
        for (int l = 0; l < config.layers(); l++) {
            String n = "h." + l + ".";
            NDArray a = Attention.layerNorm(x, p(n + "ln_1.weight"), p(n + "ln_1.bias"));
            NDArray qkv =
                    a.matMul(p(n + "attn.c_attn.weight"))
                            .add(p(n + "attn.c_attn.bias")); // Conv1D: x W + b
            NDList parts = qkv.split(3, 2);
            NDArray q = heads(adapted(n + "attn.q", a, parts.get(0)), b, t, h, d);
            NDArray k = heads(adapted(n + "attn.k", a, parts.get(1)), b, t, h, d);
            NDArray v = heads(adapted(n + "attn.v", a, parts.get(2)), b, t, h, d);
            if (cache != null) {
                NDArray[] all = cache.append(l, k, v);
                k = all[0];
                v = all[1];
            }
            NDArray attended =
                    Attention.scaledDotProduct(q, k, v, mask)
                            .head()
                            .transpose(0, 2, 1, 3)
                            .reshape(b, t, e);
            x =
                    x.add(
                            adapted(
                                    n + "attn.o",
                                    attended,
                                    attended.matMul(p(n + "attn.c_proj.weight"))
                                            .add(p(n + "attn.c_proj.bias"))));
            NDArray m = Attention.layerNorm(x, p(n + "ln_2.weight"), p(n + "ln_2.bias"));
            NDArray f = geluNew(m.matMul(p(n + "mlp.c_fc.weight")).add(p(n + "mlp.c_fc.bias")));
            x = x.add(f.matMul(p(n + "mlp.c_proj.weight")).add(p(n + "mlp.c_proj.bias")));
        }
        if (cache != null) {
            cache.length = past + t;
        }
        x = Attention.layerNorm(x, p("ln_f.weight"), p("ln_f.bias"));
        return x.matMul(wte.transpose());
    }

    private static NDArray heads(NDArray x, long b, int t, int h, int d) {
        return x.reshape(b, t, h, d).transpose(0, 2, 1, 3);
    }

    /** (T, past + T): position past + i may look at keys 0 .. past + i. */
    private static NDArray causalOffset(NDManager m, int t, int past) {
        float[] offsets = new float[t * (past + t)];
        for (int i = 0; i < t; i++) {
            for (int j = past + i + 1; j < past + t; j++) {
                offsets[i * (past + t) + j] = Attention.MASKED;
            }
        }
        return m.create(offsets, new Shape(t, past + t));
    }

    /** y, or what the adapter makes of it. */
    private NDArray adapted(String target, NDArray x, NDArray y) {
        return adapter == null ? y : adapter.adapt(target, x, y, training);
    }

    /**
     * Puts an adapter beside the attention projections (null removes it).
     *
     * @param adapter the adapter, or null
     */
    public void attach(Adapter adapter) {
        this.adapter = adapter;
    }

    /**
     * The adapter's parameters.
     *
     * @return name to array (empty without an adapter)
     */
    public Map<String, NDArray> adapterParameters() {
        return adapter == null ? Map.of() : adapter.parameters();
    }

    /**
     * The manager the model's arrays live in (an adapter puts its own there, so they close with the
     * model).
     *
     * @return the manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Whether dropout acts (training) or not (evaluation, generation).
     *
     * @param training the mode
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /**
     * The numbers an optimizer will change: every array that requires a gradient.
     *
     * @return the count
     */
    public long trainableParameterCount() {
        long n = 0;
        for (NDArray p : params.values()) {
            n += p.hasGradient() ? p.size() : 0;
        }
        for (NDArray p : adapterParameters().values()) {
            n += p.hasGradient() ? p.size() : 0;
        }
        return n;
    }

    /**
     * Random training windows of {@code context + 1} tokens: the inputs are the first {@code
     * context}, the targets the last {@code context}.
     *
     * @param tokens the token stream
     * @param count how many windows
     * @param context the window's inputs
     * @param random chooses where they start
     * @return {@code count * (context + 1)} ids, row-major
     */
    public static long[] windows(long[] tokens, int count, int context, java.util.Random random) {
        long[] out = new long[count * (context + 1)];
        for (int b = 0; b < count; b++) {
            int from = random.nextInt(tokens.length - context - 1);
            System.arraycopy(tokens, from, out, b * (context + 1), context + 1);
        }
        return out;
    }

    /**
     * GPT-2's GELU, the tanh approximation: {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715
     * x^3)))}.
     *
     * @param x the input
     * @return the activation
     */
    public static NDArray geluNew(NDArray x) {
        NDArray inner =
                Scalars.mul(
                        x.add(Scalars.mul(x.pow(Scalars.of(x, 3)), 0.044715)),
                        Math.sqrt(2 / Math.PI));
        return Scalars.mul(x, 0.5).mul(inner.tanh().add(1));
    }

    private NDArray p(String name) {
        return params.get(name);
    }

    /**
     * The parameters, by Hugging Face name.
     *
     * @return the live map (for optimizers and adapters)
     */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /**
     * The size.
     *
     * @return the config
     */
    public Config config() {
        return config;
    }

    /**
     * The number of parameters (the tied head counted once).
     *
     * @return the count
     */
    public long parameterCount() {
        return params.values().stream().mapToLong(NDArray::size).sum();
    }

    /**
     * One optimizer step on every parameter that has a gradient.
     *
     * @param optimizer e.g. DJL's AdamW
     */
    public void step(Optimizer optimizer) {
        Map<String, NDArray> all = new LinkedHashMap<>(params);
        all.putAll(adapterParameters());
        for (Map.Entry<String, NDArray> p : all.entrySet()) {
            if (p.getValue().hasGradient()) {
                try (NDArray g = p.getValue().getGradient()) {
                    optimizer.update(p.getKey(), p.getValue(), g);
                }
            }
        }
    }

    /**
     * Mean next-token cross-entropy of a batch: position i predicts token i + 1.
     *
     * @param ids (B, T + 1)
     * @return the scalar loss (in ids' manager)
     */
    public NDArray loss(NDArray ids) {
        return loss(ids, null);
    }

    /**
     * Next-token cross-entropy averaged over the targets that count (instruction tuning: only the
     * response's).
     *
     * @param ids (B, T + 1)
     * @param weights (B, T): 1 where the target at that position counts, 0 where not; or null for
     *     all
     * @return the scalar loss
     */
    public NDArray loss(NDArray ids, NDArray weights) {
        long t = ids.getShape().get(1) - 1;
        NDArray inputs = ids.get(":, 0:" + t);
        NDArray targets = ids.get(":, 1:");
        NDArray logp = forward(inputs, null).logSoftmax(2);
        NDArray picked =
                logp.gather(targets.expandDims(2), 2)
                        .squeeze(2); // log-probability of each actual next token
        if (weights == null) {
            return picked.mean().neg();
        }
        return picked.mul(weights).sum().div(weights.sum().maximum(Scalars.of(weights, 1))).neg();
    }

    @Override
    public void close() {
        manager.close();
    }
}
