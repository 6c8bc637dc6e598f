package org.dllab.hw.hw3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.dllab.core.Scalars;

/**
 * Multi-head self-attention with a padding mask.
 *
 * <pre>
 *   Q = x Wq + bq,  K = x Wk + bk,  V = x Wv + bv            (B, S, E) each, by the Linear blocks below
 *   split E into h heads of d = E / h                         (B, h, S, d)
 *   in each head: softmax(Q K^T / sqrt(d) + mask) V           (B, h, S, d)
 *   join the heads back                                       (B, S, E)
 *   output = joined Wo + bo                                   (B, S, E)
 * </pre>
 *
 * Input: {@code x (B, S, E)} and {@code mask (B, S)}, 1 for a real token and 0 for padding. Output: the attended
 * {@code (B, S, E)} and the attention weights {@code (B, h, S, S)}.
 */
public final class MultiHeadAttention extends AbstractBlock {

    /** Added to the score of a padding key: e^-1e9 is exactly 0 in float32, and a row of padding gives no NaN. */
    public static final float MASKED = -1e9f;

    private final int embed;
    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    /**
     * Builds the block.
     *
     * @param embed E
     * @param heads h (divides E)
     */
    public MultiHeadAttention(int embed, int heads) {
        if (embed % heads != 0) {
            throw new IllegalArgumentException("the embedding size " + embed + " is not a multiple of " + heads + " heads");
        }
        this.embed = embed;
        this.heads = heads;
        query = addChildBlock("query", Linear.builder().setUnits(embed).build());
        key = addChildBlock("key", Linear.builder().setUnits(embed).build());
        value = addChildBlock("value", Linear.builder().setUnits(embed).build());
        output = addChildBlock("output", Linear.builder().setUnits(embed).build());
    }

    /**
     * Scaled dot-product attention: {@code softmax(Q K^T / sqrt(d)) V}, where keys that are padding get
     * {@link #MASKED} added to their scores before the softmax.
     *
     * @param q queries (B, h, T, d)
     * @param k keys (B, h, S, d)
     * @param v values (B, h, S, d)
     * @param mask (B, S): 1 for a real key, 0 for padding; or null for no mask
     * @return {attended (B, h, T, d), attention weights (B, h, T, S)}
     */
    public static NDList scaledDotProduct(NDArray q, NDArray k, NDArray v, NDArray mask) {
        // TODO(hw3-3): 分數 = Q 乘 K 的轉置除以 sqrt(d)；mask 為 0 的鍵加上 MASKED（先把 mask 變成 (B,1,1,S)）；對最後一軸 softmax，再乘 V（除以常數用 Scalars.div，不要用 x.div(float)） / scores = Q times K transposed over sqrt(d); add MASKED where the mask is 0 (reshape the mask to (B, 1, 1, S)); softmax over the last axis, then times V (divide by a constant with Scalars.div, not x.div(float): see its Javadoc)
        throw new UnsupportedOperationException("TODO(hw3-3): scores = Q times K transposed over sqrt(d); add MASKED where the mask is 0 (reshape the mask to (B, 1, 1, S)); softmax over the last axis, then times V (divide by a constant with Scalars.div, not x.div(float): see its Javadoc)");
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        // TODO(hw3-4): 用 query/key/value 三個 Linear 投影 x；把 (B,S,E) 變成 (B,h,S,d)；scaledDotProduct；把各頭接回 (B,S,E)，再經 output / project x with the query, key and value Linear blocks; reshape (B, S, E) to (B, h, S, d); scaledDotProduct; join the heads back to (B, S, E) and apply output
        throw new UnsupportedOperationException("TODO(hw3-4): project x with the query, key and value Linear blocks; reshape (B, S, E) to (B, h, S, d); scaledDotProduct; join the heads back to (B, S, E) and apply output");
    }

    /**
     * Attention heads.
     *
     * @return h
     */
    public int heads() {
        return heads;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x, new Shape(x.get(0), heads, x.get(1), x.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Linear l : new Linear[] {query, key, value, output}) {
            l.initialize(manager, dataType, inputShapes[0]);
        }
    }
}
