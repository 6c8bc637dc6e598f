package org.dllab.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Hugging Face {@code LlamaForCausalLM} checkpoint ({@code config.json} + {@code
 * model.safetensors}) into the layout {@link Llama} runs. Hugging Face's conversion from Meta's
 * weights permutes the rows of q_proj and k_proj so that its rotate-half rotary code gives the same
 * result as Meta's interleaved pairs; {@link Llama} rotates interleaved pairs (as llama2.c), so the
 * permutation is undone here, per head: rows {@code [0..d/2) , [d/2..d)} of a head go back to
 * alternating.
 */
public final class HfLlamaCheckpoint {

    private HfLlamaCheckpoint() {}

    /**
     * Reads a checkpoint folder.
     *
     * @param folder holds config.json and model.safetensors
     * @return the weights under HF names, in Meta's interleaved q/k order
     * @throws IOException when a file is missing, the config is not a supported Llama, or a tensor
     *     is missing or misshapen
     */
    public static Llama2cCheckpoint.Weights read(Path folder) throws IOException {
        Path configFile = folder.resolve("config.json");
        Path weights = folder.resolve("model.safetensors");
        for (Path f : new Path[] {configFile, weights}) {
            if (!Files.isRegularFile(f)) {
                throw new IOException(
                        "no "
                                + f.getFileName()
                                + " in "
                                + folder
                                + ": a Llama checkpoint needs config.json and model.safetensors");
            }
        }
        JsonObject j = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
        LlamaConfig c;
        try {
            int heads = j.get("num_attention_heads").getAsInt();
            c =
                    new LlamaConfig(
                            j.get("hidden_size").getAsInt(),
                            j.get("intermediate_size").getAsInt(),
                            j.get("num_hidden_layers").getAsInt(),
                            heads,
                            j.has("num_key_value_heads")
                                    ? j.get("num_key_value_heads").getAsInt()
                                    : heads,
                            j.get("vocab_size").getAsInt(),
                            j.get("max_position_embeddings").getAsInt(),
                            !j.has("tie_word_embeddings")
                                    || j.get("tie_word_embeddings").getAsBoolean());
        } catch (RuntimeException e) {
            throw new IOException(configFile + ": not a Llama config (" + e.getMessage() + ")", e);
        }
        float eps =
                j.has("rms_norm_eps") ? j.get("rms_norm_eps").getAsFloat() : LlamaConfig.NORM_EPS;
        float theta =
                j.has("rope_theta") ? j.get("rope_theta").getAsFloat() : LlamaConfig.ROPE_THETA;
        if (eps != LlamaConfig.NORM_EPS
                || theta != LlamaConfig.ROPE_THETA
                || j.has("rope_scaling") && !j.get("rope_scaling").isJsonNull()) {
            throw new IOException(
                    configFile
                            + ": rms_norm_eps "
                            + eps
                            + ", rope_theta "
                            + theta
                            + (j.has("rope_scaling") ? ", rope_scaling" : "")
                            + "; this Llama runs the llama2.c family (1e-5, 10000, no scaling)");
        }
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (NDManager tmp = NDManager.newBaseManager(Device.cpu());
                InputStream in = Files.newInputStream(weights)) {
            NDList list;
            try {
                list = NDList.decode(tmp, in);
            } catch (RuntimeException e) {
                throw new IOException(weights + " is not a safetensors file: " + e.getMessage(), e);
            }
            Map<String, NDArray> byName = new LinkedHashMap<>();
            list.forEach(a -> byName.put(a.getName(), a));
            expect(
                    byName,
                    weights,
                    "model.embed_tokens.weight",
                    tensors,
                    shapes,
                    c.vocabSize(),
                    c.dim());
            for (int l = 0; l < c.layers(); l++) {
                String p = "model.layers." + l + ".";
                expect(byName, weights, p + "input_layernorm.weight", tensors, shapes, c.dim());
                expect(
                        byName,
                        weights,
                        p + "self_attn.q_proj.weight",
                        tensors,
                        shapes,
                        c.dim(),
                        c.dim());
                expect(
                        byName,
                        weights,
                        p + "self_attn.k_proj.weight",
                        tensors,
                        shapes,
                        c.kvDim(),
                        c.dim());
                expect(
                        byName,
                        weights,
                        p + "self_attn.v_proj.weight",
                        tensors,
                        shapes,
                        c.kvDim(),
                        c.dim());
                expect(
                        byName,
                        weights,
                        p + "self_attn.o_proj.weight",
                        tensors,
                        shapes,
                        c.dim(),
                        c.dim());
                expect(
                        byName,
                        weights,
                        p + "post_attention_layernorm.weight",
                        tensors,
                        shapes,
                        c.dim());
                expect(
                        byName,
                        weights,
                        p + "mlp.gate_proj.weight",
                        tensors,
                        shapes,
                        c.hiddenDim(),
                        c.dim());
                expect(
                        byName,
                        weights,
                        p + "mlp.down_proj.weight",
                        tensors,
                        shapes,
                        c.dim(),
                        c.hiddenDim());
                expect(
                        byName,
                        weights,
                        p + "mlp.up_proj.weight",
                        tensors,
                        shapes,
                        c.hiddenDim(),
                        c.dim());
                unpermute(
                        tensors.get(p + "self_attn.q_proj.weight"),
                        c.heads(),
                        c.headSize(),
                        c.dim());
                unpermute(
                        tensors.get(p + "self_attn.k_proj.weight"),
                        c.kvHeads(),
                        c.headSize(),
                        c.dim());
            }
            expect(byName, weights, "model.norm.weight", tensors, shapes, c.dim());
            if (!c.sharedClassifier()) {
                expect(byName, weights, "lm_head.weight", tensors, shapes, c.vocabSize(), c.dim());
            }
        }
        return new Llama2cCheckpoint.Weights(c, tensors, shapes);
    }

    private static void expect(
            Map<String, NDArray> byName,
            Path file,
            String name,
            Map<String, float[]> tensors,
            Map<String, long[]> shapes,
            long... shape)
            throws IOException {
        NDArray a = byName.get(name);
        if (a == null) {
            throw new IOException(file + " has no tensor '" + name + "'");
        }
        if (!java.util.Arrays.equals(a.getShape().getShape(), shape)) {
            throw new IOException(
                    file
                            + ": '"
                            + name
                            + "' is "
                            + a.getShape()
                            + ", config.json implies "
                            + java.util.Arrays.toString(shape));
        }
        tensors.put(name, a.toType(DataType.FLOAT32, false).toFloatArray());
        shapes.put(name, shape);
    }

    /**
     * Undoes HF's q/k permutation in place: within each head, HF row {@code i} (first half) and
     * {@code i + d/2} (second half) are Meta's rows {@code 2i} and {@code 2i + 1}.
     */
    static void unpermute(float[] w, int heads, int headSize, int cols) {
        reorder(w, heads, headSize, cols, false);
    }

    /**
     * HF's permutation (its conversion script's {@code permute}), for writing checkpoints: the
     * inverse of {@link #unpermute}.
     */
    static void permute(float[] w, int heads, int headSize, int cols) {
        reorder(w, heads, headSize, cols, true);
    }

    private static void reorder(float[] w, int heads, int headSize, int cols, boolean toHf) {
        float[] copy = w.clone();
        int half = headSize / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < half; i++) {
                for (int part = 0; part < 2; part++) {
                    int hfRow = h * headSize + part * half + i;
                    int metaRow = h * headSize + 2 * i + part;
                    System.arraycopy(
                            copy,
                            (toHf ? metaRow : hfRow) * cols,
                            w,
                            (toHf ? hfRow : metaRow) * cols,
                            cols);
                }
            }
        }
    }
}
