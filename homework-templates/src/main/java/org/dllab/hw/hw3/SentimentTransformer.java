package org.dllab.hw.hw3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.dllab.core.Scalars;

/**
 * The classifier, the whole model in one file:
 *
 * <pre>
 *   ids (B, S), mask (B, S)
 *   x = embedding(ids) * sqrt(E) + PositionalEncoding[0..S)      (B, S, E)
 *   x = Dropout(x)
 *   x, attention = EncoderBlock(x, mask), L times
 *   x = LayerNorm(x)                                              (pre-LN stacks end with one)
 *   pooled = the mean of x over the real tokens (mask = 1)         (B, E)
 *   logits = head(pooled)                                         (B, 2): 0 negative, 1 positive
 * </pre>
 *
 * In evaluation mode it keeps the last block's attention weights ({@link #lastAttention()}).
 */
public final class SentimentTransformer extends AbstractBlock {

    private final int embed;
    private final int maxLength;
    private final Parameter tokens;
    private final Dropout dropout;
    private final List<EncoderBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;
    private NDArray positions;
    private NDArray lastAttention;

    /**
     * Builds the model.
     *
     * @param vocabularySize token ids 0 .. vocabularySize - 1
     * @param maxLength longest input (rows of the positional table)
     * @param embed E
     * @param heads attention heads per block
     * @param layers L
     * @param ffn feed-forward units per block
     * @param dropout dropout rate
     */
    public SentimentTransformer(int vocabularySize, int maxLength, int embed, int heads, int layers, int ffn, float dropout) {
        this.embed = embed;
        this.maxLength = maxLength;
        // E^-1/2 so that the embedding times sqrt(E) starts at unit scale, like the positional encoding
        tokens = addParameter(Parameter.builder().setName("tokens").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, embed)).optInitializer(new NormalInitializer((float) Math.pow(embed, -0.5))).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropout).build());
        for (int l = 0; l < layers; l++) {
            blocks.add(addChildBlock("block" + l, new EncoderBlock(embed, heads, ffn, dropout)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", Linear.builder().setUnits(2).build());
    }

    /**
     * Looks token ids up in the embedding table.
     *
     * @param store the parameter store
     * @param ids (B, S) int64
     * @param training whether training
     * @return (B, S, E)
     */
    NDArray embed(ParameterStore store, NDArray ids, boolean training) {
        NDArray table = store.getValue(tokens, ids.getDevice(), training);
        // through the ids, not the table: a result belongs to its first operand's manager, and the table's is the
        // model's, which would keep every activation of every batch until the model closes
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).head();
    }

    /**
     * The positional table rows 0 .. length - 1, made once per model.
     *
     * @param like an array of the batch: the rows returned belong to its manager
     * @param length S
     * @return (S, E)
     */
    NDArray positions(NDArray like, long length) {
        if (length > maxLength) {
            throw new IllegalArgumentException("inputs of " + length + " tokens; this model was built for at most " + maxLength);
        }
        if (positions == null || positions.isReleased()) {
            positions = PositionalEncoding.table(tokens.getArray().getManager(), maxLength, embed);
        }
        NDArray rows = positions.get("0:" + length);
        rows.attach(like.getManager()); // freed with the batch, not kept by the model
        return rows;
    }

    /**
     * Everything up to the classifier head.
     *
     * @param store the parameter store
     * @param ids (B, S) token ids
     * @param mask (B, S), 1 for a real token
     * @param training whether training (dropout on)
     * @return {pooled (B, E), the last block's attention weights (B, h, S, S)}
     */
    NDList encode(ParameterStore store, NDArray ids, NDArray mask, boolean training) {
        long s = ids.getShape().get(1);
        // TODO(hw3-6): 照上面的圖：embed(...) 乘 sqrt(E) 加 positions(...)；dropout；每個 EncoderBlock（記下注意力）；norm；用 mask 只對真正的 token 取平均（乘常數用 Scalars.mul） / as drawn above: embed(...) times sqrt(E) plus positions(...); dropout; each EncoderBlock (keep its attention); norm; average over the real tokens only, using the mask (multiply by a constant with Scalars.mul)
        throw new UnsupportedOperationException("TODO(hw3-6): as drawn above: embed(...) times sqrt(E) plus positions(...); dropout; each EncoderBlock (keep its attention); norm; average over the real tokens only, using the mask (multiply by a constant with Scalars.mul)");
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList encoded = encode(store, inputs.get(0), inputs.get(1), training);
        if (!training) {
            lastAttention = encoded.get(1);
        }
        return head.forward(store, new NDList(encoded.get(0)), training);
    }

    /**
     * The last block's attention weights from the latest evaluation-mode pass.
     *
     * @return (B, h, S, S), or null before any
     */
    public NDArray lastAttention() {
        return lastAttention;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape x = new Shape(ids.get(0), ids.get(1), embed);
        dropout.initialize(manager, dataType, x);
        for (EncoderBlock b : blocks) {
            b.initialize(manager, dataType, x, ids);
        }
        norm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, new Shape(ids.get(0), embed));
    }
}
