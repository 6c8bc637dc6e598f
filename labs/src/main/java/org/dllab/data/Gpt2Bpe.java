package org.dllab.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dllab.core.DjlRuntime;

/**
 * GPT-2's byte-level BPE from OpenAI's original files ({@code encoder.json} = the vocabulary,
 * {@code vocab.bpe} = the merges, identical to Hugging Face's {@code vocab.json}/{@code
 * merges.txt}), turned into a Hugging Face {@code tokenizer.json} so that {@code
 * ai.djl.huggingface.tokenizers} runs the real GPT-2 tokenizer with nothing downloaded. "Hello
 * world" encodes to [15496, 995].
 */
public final class Gpt2Bpe {

    /** Id of {@code <|endoftext|>} in GPT-2's vocabulary. */
    public static final int END_OF_TEXT = 50256;

    /** The end-of-text token. */
    public static final String END_OF_TEXT_TOKEN = "<|endoftext|>";

    private Gpt2Bpe() {}

    /**
     * Builds a tokenizer from the dataset folder.
     *
     * @param folder the folder with {@code encoder.json} and {@code vocab.bpe}
     * @return the tokenizer (close it); it neither truncates nor pads: callers choose their own
     *     context length
     * @throws IOException on missing or malformed files
     */
    public static HuggingFaceTokenizer tokenizer(Path folder) throws IOException {
        DjlRuntime.prepare(); // the tokenizer's start-up also "calls home" unless tracking is off
        byte[] json = tokenizerJson(folder).getBytes(StandardCharsets.UTF_8);
        return HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(json),
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    }

    /**
     * The Hugging Face {@code tokenizer.json} text equivalent to the two OpenAI files.
     *
     * @param folder the folder with {@code encoder.json} and {@code vocab.bpe}
     * @return JSON text
     * @throws IOException on missing or malformed files
     */
    public static String tokenizerJson(Path folder) throws IOException {
        Path encoderFile = folder.resolve("encoder.json");
        Path mergesFile = folder.resolve("vocab.bpe");
        JsonObject vocab;
        try {
            JsonElement e = JsonParser.parseString(TextCorpus.read(encoderFile));
            if (!e.isJsonObject()) {
                throw new DatasetFormatException(
                        encoderFile, "is not a JSON object", "{\"token\": id, ...}");
            }
            vocab = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new DatasetFormatException(encoderFile, "is not valid JSON", e);
        }
        JsonElement eot = vocab.get(END_OF_TEXT_TOKEN);
        if (eot == null || !eot.isJsonPrimitive() || eot.getAsInt() != END_OF_TEXT) {
            throw new DatasetFormatException(
                    encoderFile,
                    "does not map " + END_OF_TEXT_TOKEN + " to " + END_OF_TEXT,
                    "GPT-2's encoder.json (50,257 entries)");
        }
        List<String> lines = TextCorpus.readLines(mergesFile);
        JsonArray merges = new JsonArray();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("#version") || line.isBlank()) {
                continue;
            }
            String[] pair = line.split(" ");
            if (pair.length != 2) {
                throw new DatasetFormatException(
                        mergesFile,
                        "line " + (i + 1) + " is '" + line + "'",
                        "two symbols separated by one space");
            }
            merges.add(line);
        }
        if (merges.isEmpty()) {
            throw new DatasetFormatException(
                    mergesFile, "has no merges", "GPT-2's vocab.bpe (50,000 merges)");
        }
        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", true);
        byteLevel.addProperty("use_regex", true);

        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", null);
        model.add("unk_token", null);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", merges);

        JsonObject special = new JsonObject();
        special.addProperty("id", END_OF_TEXT);
        special.addProperty("content", END_OF_TEXT_TOKEN);
        special.addProperty("single_word", false);
        special.addProperty("lstrip", false);
        special.addProperty("rstrip", false);
        special.addProperty("normalized", true);
        special.addProperty("special", true);
        JsonArray added = new JsonArray();
        added.add(special);

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        root.add("added_tokens", added);
        root.add("normalizer", null);
        root.add("pre_tokenizer", byteLevel);
        root.add("post_processor", byteLevel);
        root.add("decoder", byteLevel);
        root.add("model", model);
        return new Gson().newBuilder().serializeNulls().create().toJson(root);
    }
}
