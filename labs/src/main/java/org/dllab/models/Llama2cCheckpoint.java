package org.dllab.models;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dllab.data.DatasetFormatException;

/**
 * Reads a llama2.c checkpoint ({@code stories260K.bin}, {@code stories15M.bin}, ...): a header of
 * seven little-endian int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a
 * negative vocab_size means an untied classifier), then float32 tensors in llama2.c's order, each
 * matrix (out, in) row-major. Older files carry the RoPE frequency tables before the untied
 * classifier; they are skipped (the model computes them).
 *
 * <p>The tensors come back under Hugging Face {@code LlamaForCausalLM} names with HF shapes, so one
 * model class can load both formats. Note llama2.c keeps Meta's interleaved rotary pairs; HF's
 * conversion permutes q/k for its rotate-half form, so an HF checkpoint needs that permutation
 * undone before it runs in {@link Llama}.
 */
public final class Llama2cCheckpoint {

    private static final int HEADER_BYTES = 7 * 4;

    private Llama2cCheckpoint() {}

    /**
     * A loaded checkpoint.
     *
     * @param config the shape from the header
     * @param tensors HF name → float32 values, row-major
     * @param shapes HF name → shape
     */
    public record Weights(
            LlamaConfig config, Map<String, float[]> tensors, Map<String, long[]> shapes) {}

    /**
     * Reads a checkpoint.
     *
     * @param file the .bin file
     * @return the weights
     * @throws IOException when the file cannot be read, its header is impossible, or its size does
     *     not match the header (the message names the file, what was expected and what was found)
     */
    public static Weights read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.io.FileNotFoundException(file + ": checkpoint not found");
        }
        long size = Files.size(file);
        if (size < HEADER_BYTES) {
            throw new DatasetFormatException(
                    file,
                    "has " + size + " bytes, fewer than the 28-byte header",
                    "a llama2.c checkpoint (7 int32, then float32 weights)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header, file);
            header.flip();
            int[] h = new int[7];
            for (int i = 0; i < 7; i++) {
                h[i] = header.getInt();
            }
            LlamaConfig c;
            try {
                c = new LlamaConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(h[5]), h[6], h[5] > 0);
            } catch (IllegalArgumentException e) {
                throw new DatasetFormatException(
                        file,
                        "has an impossible header "
                                + java.util.Arrays.toString(h)
                                + " ("
                                + e.getMessage()
                                + ")",
                        "dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len");
            }
            long weights = c.parameters();
            long ropeTables = (long) c.maxSeqLen() * c.headSize();
            long withTables = weights + ropeTables;
            long floats = (size - HEADER_BYTES) / 4;
            boolean tables;
            if ((size - HEADER_BYTES) % 4 == 0 && floats == withTables) {
                tables = true;
            } else if ((size - HEADER_BYTES) % 4 == 0 && floats == weights) {
                tables = false;
            } else {
                throw new DatasetFormatException(
                        file,
                        "has "
                                + size
                                + " bytes, but its header "
                                + c
                                + " needs "
                                + (HEADER_BYTES + 4 * weights)
                                + " (or "
                                + (HEADER_BYTES + 4 * withTables)
                                + " with RoPE tables)",
                        "the whole checkpoint; it may be truncated");
            }
            if (weights > Integer.MAX_VALUE / 2) {
                throw new DatasetFormatException(
                        file,
                        "holds " + weights + " parameters",
                        "a checkpoint small enough for this loader (< 1e9)");
            }
            FloatBuffer all =
                    ch.map(FileChannel.MapMode.READ_ONLY, HEADER_BYTES, size - HEADER_BYTES)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer();
            Map<String, float[]> t = new LinkedHashMap<>();
            Map<String, long[]> s = new LinkedHashMap<>();
            int d = c.dim();
            int kv = c.kvDim();
            int hd = c.hiddenDim();
            take(all, t, s, "model.embed_tokens.weight", c.vocabSize(), d);
            perLayer(all, t, s, c, "input_layernorm.weight", d);
            perLayer(all, t, s, c, "self_attn.q_proj.weight", d, d);
            perLayer(all, t, s, c, "self_attn.k_proj.weight", kv, d);
            perLayer(all, t, s, c, "self_attn.v_proj.weight", kv, d);
            perLayer(all, t, s, c, "self_attn.o_proj.weight", d, d);
            perLayer(all, t, s, c, "post_attention_layernorm.weight", d);
            perLayer(all, t, s, c, "mlp.gate_proj.weight", hd, d); // llama2.c's w1
            perLayer(all, t, s, c, "mlp.down_proj.weight", d, hd); // w2
            perLayer(all, t, s, c, "mlp.up_proj.weight", hd, d); // w3
            take(all, t, s, "model.norm.weight", d);
            if (tables) {
                all.position(all.position() + (int) ropeTables);
            }
            if (!c.sharedClassifier()) {
                take(all, t, s, "lm_head.weight", c.vocabSize(), d);
            }
            return new Weights(c, t, s);
        }
    }

    private static void perLayer(
            FloatBuffer all,
            Map<String, float[]> t,
            Map<String, long[]> s,
            LlamaConfig c,
            String name,
            long... shape) {
        for (int l = 0;
                l < c.layers();
                l++) { // llama2.c stores one tensor kind for all layers, then the next kind
            take(all, t, s, "model.layers." + l + "." + name, shape);
        }
    }

    private static void take(
            FloatBuffer all,
            Map<String, float[]> t,
            Map<String, long[]> s,
            String name,
            long... shape) {
        long n = 1;
        for (long x : shape) {
            n *= x;
        }
        float[] v = new float[(int) n];
        all.get(v);
        t.put(name, v);
        s.put(name, shape);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new DatasetFormatException(
                        file, "ends inside its header", "28 bytes of header");
            }
        }
    }
}
