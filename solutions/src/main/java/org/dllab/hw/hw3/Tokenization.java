package org.dllab.hw.hw3;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * From text to the model's input: token ids of a fixed length and the attention mask, through the Hugging Face
 * tokenizers library ({@code ai.djl.huggingface.tokenizers}).
 */
public final class Tokenization {

    private Tokenization() {}

    /**
     * What {@link #encode} returns: one row per text.
     *
     * @param ids token ids, every row {@code maxLength} long
     * @param mask 1 for a real token ([CLS] and [SEP] included), 0 for padding
     */
    public record Encoded(long[][] ids, long[][] mask) {}

    /**
     * Loads a {@code tokenizer.json} so that every text becomes exactly {@code maxLength} tokens: [CLS] and [SEP]
     * added, longer texts truncated, shorter ones padded (with id 0, [PAD]) to the full length.
     *
     * @param tokenizerJson the file (a WordPiece vocabulary built from the training reviews)
     * @param maxLength tokens per text, the special tokens included
     * @return the tokenizer; the caller closes it
     * @throws IOException when the file cannot be read
     */
    public static HuggingFaceTokenizer tokenizer(Path tokenizerJson, int maxLength) throws IOException {
        // BEGIN SOLUTION 用 HuggingFaceTokenizer.builder()：optTokenizerPath、optAddSpecialTokens(true)、optTruncation(true)、optPadToMaxLength()、optMaxLength | use HuggingFaceTokenizer.builder(): optTokenizerPath, optAddSpecialTokens(true), optTruncation(true), optPadToMaxLength(), optMaxLength
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optPadToMaxLength()
                .optMaxLength(maxLength)
                .build();
        // END SOLUTION
    }

    /**
     * Encodes texts.
     *
     * @param tokenizer from {@link #tokenizer}
     * @param texts the texts
     * @return ids and attention masks, one row per text
     */
    public static Encoded encode(HuggingFaceTokenizer tokenizer, List<String> texts) {
        long[][] ids = new long[texts.size()][];
        long[][] mask = new long[texts.size()][];
        // BEGIN SOLUTION 對每段文字呼叫 tokenizer.encode，取 getIds() 與 getAttentionMask() | call tokenizer.encode on each text; take getIds() and getAttentionMask()
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tokenizer.encode(texts.get(i));
            ids[i] = e.getIds();
            mask[i] = e.getAttentionMask();
        }
        return new Encoded(ids, mask);
        // END SOLUTION
    }
}
