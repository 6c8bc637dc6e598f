package org.dllab.models;

/**
 * The shape of a Llama-2-architecture decoder: RMSNorm, rotary positions, grouped-query attention,
 * SwiGLU.
 *
 * @param dim the model width
 * @param hiddenDim the SwiGLU feed-forward width
 * @param layers decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads (fewer than {@code heads}: grouped-query attention)
 * @param vocabSize tokens
 * @param maxSeqLen the longest context
 * @param sharedClassifier whether the output layer is the token embedding (tied)
 */
public record LlamaConfig(
        int dim,
        int hiddenDim,
        int layers,
        int heads,
        int kvHeads,
        int vocabSize,
        int maxSeqLen,
        boolean sharedClassifier) {

    /** RMSNorm's epsilon in llama2.c and Llama 2. */
    public static final float NORM_EPS = 1e-5f;

    /** Rotary embeddings' base. */
    public static final float ROPE_THETA = 10_000f;

    /**
     * Checks the shape.
     *
     * @throws IllegalArgumentException naming the first impossible value
     */
    public LlamaConfig {
        if (dim < 1
                || hiddenDim < 1
                || layers < 1
                || heads < 1
                || kvHeads < 1
                || vocabSize < 1
                || maxSeqLen < 1) {
            throw new IllegalArgumentException("every size must be positive: " + this);
        }
        if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException(
                    "dim must split into heads of even size, and heads into kv groups: " + this);
        }
    }

    /**
     * Width of one head.
     *
     * @return dim / heads
     */
    public int headSize() {
        return dim / heads;
    }

    /**
     * Width of the keys and values of all key/value heads.
     *
     * @return kvHeads × headSize
     */
    public int kvDim() {
        return kvHeads * headSize();
    }

    /**
     * Parameters, counting a tied classifier once.
     *
     * @return the count
     */
    public long parameters() {
        long perLayer = 2L * dim + 2L * dim * dim + 2L * dim * kvDim() + 3L * dim * hiddenDim;
        return (long) vocabSize * dim * (sharedClassifier ? 1 : 2) + layers * perLayer + dim;
    }
}
