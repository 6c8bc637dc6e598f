package org.dllab.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Texts encoded to fixed-length id sequences with their attention masks, and what the encoding did
 * to them: how long they were, how many were cut, how often a token was unknown.
 *
 * @param ids one sequence per text, each exactly the tokenizer's maximum length (padded with 0)
 * @param masks 1 for a real token (special tokens included), 0 for padding
 * @param meanTokens mean tokens per text before truncation (special tokens included)
 * @param p95Tokens the 95th percentile of that length
 * @param truncatedFraction the share of texts longer than the maximum length
 * @param unknownRate the share of real tokens that are {@code [UNK]}
 */
public record EncodedTexts(
        List<long[]> ids,
        List<long[]> masks,
        double meanTokens,
        int p95Tokens,
        double truncatedFraction,
        double unknownRate) {

    /**
     * Encodes texts, in batches (the Rust library encodes a batch on several threads).
     *
     * @param tokenizer a tokenizer that truncates and pads to a fixed length
     * @param untruncated the same vocabulary without truncation or padding, to measure lengths;
     *     null to skip
     * @param texts cleaned texts
     * @param unknownId the id of {@code [UNK]}
     * @return the encoded texts
     */
    public static EncodedTexts encode(
            HuggingFaceTokenizer tokenizer,
            HuggingFaceTokenizer untruncated,
            List<String> texts,
            long unknownId) {
        List<long[]> ids = new ArrayList<>(texts.size());
        List<long[]> masks = new ArrayList<>(texts.size());
        int[] lengths = new int[texts.size()];
        long real = 0;
        long unknown = 0;
        int maxLength = -1;
        for (int start = 0; start < texts.size(); start += 256) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + 256));
            Encoding[] enc = tokenizer.batchEncode(chunk);
            Encoding[] full = untruncated == null ? null : untruncated.batchEncode(chunk);
            for (int i = 0; i < enc.length; i++) {
                long[] id = enc[i].getIds();
                long[] mask = enc[i].getAttentionMask();
                maxLength = id.length;
                ids.add(id);
                masks.add(mask);
                for (int t = 0; t < id.length; t++) {
                    if (mask[t] == 1) {
                        real++;
                        unknown += id[t] == unknownId ? 1 : 0;
                    }
                }
                lengths[start + i] =
                        full == null ? (int) Arrays.stream(mask).sum() : full[i].getIds().length;
            }
        }
        int[] sorted = lengths.clone();
        Arrays.sort(sorted);
        int limit = maxLength;
        double truncated =
                Arrays.stream(lengths).filter(l -> l > limit).count()
                        / (double) Math.max(1, lengths.length);
        return new EncodedTexts(
                ids,
                masks,
                Arrays.stream(lengths).average().orElse(0),
                sorted.length == 0
                        ? 0
                        : sorted[
                                (int)
                                        Math.min(
                                                sorted.length - 1,
                                                Math.round(0.95 * (sorted.length - 1)))],
                truncated,
                real == 0 ? 0 : unknown / (double) real);
    }
}
