package org.dllab.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain token vocabulary, as the course's notebooks build one: tokens seen at least {@code
 * minCount} times in the training texts, most frequent first, after {@code <pad>} = 0 and {@code
 * <unk>} = 1. Every other token reads as {@code <unk>}. Ties in frequency are broken by the token's
 * text, so the ids do not depend on hash order.
 */
public final class TokenVocabulary {

    /** Padding: id 0, the id {@link org.dllab.data.TextDatasets#classification} pads with. */
    public static final String PAD = "<pad>";

    /** A token the training texts did not have often enough. */
    public static final String UNK = "<unk>";

    /** Id of {@link #PAD}. */
    public static final long PAD_ID = 0;

    /** Id of {@link #UNK}. */
    public static final long UNK_ID = 1;

    private final List<String> byId;
    private final Map<String, Long> ids;

    private TokenVocabulary(List<String> byId) {
        this.byId = List.copyOf(byId);
        this.ids = new HashMap<>();
        for (int i = 0; i < byId.size(); i++) {
            ids.put(byId.get(i), (long) i);
        }
    }

    /**
     * Counts tokens and keeps the frequent ones.
     *
     * @param texts tokenised training texts
     * @param minCount fewest occurrences for a token to get its own id (at least 1)
     * @param maxTokens most tokens kept, besides the two special ones (at least 1)
     * @return the vocabulary
     */
    public static TokenVocabulary build(List<List<String>> texts, int minCount, int maxTokens) {
        if (minCount < 1 || maxTokens < 1) {
            throw new IllegalArgumentException(
                    "minCount and maxTokens must be at least 1, got "
                            + minCount
                            + ", "
                            + maxTokens);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> t : texts) {
            for (String token : t) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        counts.remove(PAD);
        counts.remove(UNK);
        List<String> byId = new ArrayList<>(List.of(PAD, UNK));
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .sorted(
                        Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(maxTokens)
                .forEach(e -> byId.add(e.getKey()));
        return new TokenVocabulary(byId);
    }

    /**
     * Entries, the two special ones included.
     *
     * @return the size
     */
    public int size() {
        return byId.size();
    }

    /**
     * The id of a token.
     *
     * @param token a token
     * @return its id, or {@link #UNK_ID}
     */
    public long id(String token) {
        return ids.getOrDefault(token, UNK_ID);
    }

    /**
     * The token of an id.
     *
     * @param id 0 .. size - 1
     * @return the token
     */
    public String token(long id) {
        return byId.get((int) id);
    }

    /**
     * The ids of a tokenised text, cut at {@code maxLength}. An empty text becomes one {@code
     * <unk>}, so that every example has at least one real token to pool over.
     *
     * @param tokens the tokens
     * @param maxLength most ids
     * @return the ids, no padding
     */
    public long[] encode(List<String> tokens, int maxLength) {
        if (tokens.isEmpty()) {
            return new long[] {UNK_ID};
        }
        int n = Math.min(tokens.size(), maxLength);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = id(tokens.get(i));
        }
        return out;
    }

    /**
     * Writes the vocabulary, one token a line in id order (line 1 is id 0), so a run folder says
     * what each id meant.
     *
     * @param file the file
     * @throws IOException when it cannot be written
     */
    public void save(Path file) throws IOException {
        Files.write(file, byId, StandardCharsets.UTF_8);
    }
}
