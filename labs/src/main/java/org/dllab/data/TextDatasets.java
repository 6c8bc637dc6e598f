package org.dllab.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL datasets over tokenised text, for {@code EasyTrain}: fixed-length classification examples
 * (IMDb) with an attention mask, and next-token windows for language models (Tiny Shakespeare).
 * Tokenisation itself belongs to the labs (a Hugging Face tokenizer, {@link Gpt2Bpe}); these only
 * pad, truncate, cut and split.
 */
public final class TextDatasets {

    private TextDatasets() {}

    /**
     * Classification examples: data = {@code ids (N, L)} int64 and {@code mask (N, L)} int64 (1 =
     * real token, 0 = padding), labels = {@code (N)} int64. Longer sequences are cut at {@code
     * maxLength}; shorter ones padded with {@code padId} at the end.
     *
     * @param manager owns the arrays
     * @param tokenIds one id sequence per example
     * @param labels one class per example
     * @param maxLength L
     * @param padId the padding id
     * @param batchSize batch size
     * @param shuffle random order each epoch (seeded through the engine's seed)
     * @return the dataset
     */
    public static ArrayDataset classification(
            NDManager manager,
            List<long[]> tokenIds,
            int[] labels,
            int maxLength,
            long padId,
            int batchSize,
            boolean shuffle) {
        if (tokenIds.size() != labels.length) {
            throw new IllegalArgumentException(
                    tokenIds.size() + " sequences but " + labels.length + " labels");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be at least 1, got " + maxLength);
        }
        int n = labels.length;
        long[] ids = new long[n * maxLength];
        long[] mask = new long[n * maxLength];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            long[] seq = tokenIds.get(i);
            int len = Math.min(seq.length, maxLength);
            for (int t = 0; t < maxLength; t++) {
                ids[i * maxLength + t] = t < len ? seq[t] : padId;
                mask[i * maxLength + t] = t < len ? 1 : 0;
            }
            y[i] = labels[i];
        }
        Shape shape = new Shape(n, maxLength);
        return new ArrayDataset.Builder()
                .setData(manager.create(ids, shape), manager.create(mask, shape))
                .optLabels(manager.create(y))
                .setSampling(batchSize, shuffle)
                .build();
    }

    /**
     * Next-token windows of a token stream: example {@code i} is {@code tokens[i*L .. i*L+L)} and
     * its label the same window shifted by one. Windows do not overlap; the tail shorter than
     * {@code L + 1} is dropped.
     *
     * @param manager owns the arrays
     * @param tokens the stream
     * @param blockSize L
     * @param batchSize batch size
     * @param shuffle random order of windows each epoch
     * @return the dataset, data {@code (N, L)} and labels {@code (N, L)}, int64
     */
    public static ArrayDataset languageModel(
            NDManager manager, long[] tokens, int blockSize, int batchSize, boolean shuffle) {
        if (blockSize < 1 || tokens.length < blockSize + 1) {
            throw new IllegalArgumentException(
                    "need more than blockSize (" + blockSize + ") tokens, got " + tokens.length);
        }
        int n = (tokens.length - 1) / blockSize;
        long[] x = new long[n * blockSize];
        long[] y = new long[n * blockSize];
        System.arraycopy(tokens, 0, x, 0, n * blockSize);
        System.arraycopy(tokens, 1, y, 0, n * blockSize);
        Shape shape = new Shape(n, blockSize);
        NDArray xs = manager.create(x, shape);
        return new ArrayDataset.Builder()
                .setData(xs)
                .optLabels(manager.create(y, shape))
                .setSampling(batchSize, shuffle)
                .build();
    }

    /**
     * A seeded shuffle split of any list (e.g. IMDb training reviews into train and validation).
     *
     * @param items the items, left unchanged
     * @param firstFraction fraction in the first part, in (0, 1)
     * @param seed the seed
     * @param <T> item type
     * @return {first, second}
     */
    public static <T> List<List<T>> split(List<T> items, double firstFraction, long seed) {
        if (!(firstFraction > 0 && firstFraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), got " + firstFraction);
        }
        int[] perm = ImageSet.permutation(items.size(), seed);
        int cut = (int) Math.round(items.size() * firstFraction);
        List<T> a = new ArrayList<>(cut);
        List<T> b = new ArrayList<>(items.size() - cut);
        for (int i = 0; i < perm.length; i++) {
            (i < cut ? a : b).add(items.get(perm[i]));
        }
        return List.of(a, b);
    }
}
