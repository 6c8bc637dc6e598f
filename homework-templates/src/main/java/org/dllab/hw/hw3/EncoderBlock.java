package org.dllab.hw.hw3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LN Transformer encoder layer (the form GPT-2 and ViT use: it trains without a learning-rate warm-up):
 *
 * <pre>
 *   a = MultiHeadAttention(LN1(x), mask)
 *   x = x + Dropout(a)
 *   f = Linear2(ReLU(Linear1(LN2(x))))          Linear1: E -> ffn, Linear2: ffn -> E
 *   x = x + Dropout(f)
 * </pre>
 *
 * Each LayerNorm normalises every token over its E features ({@code axis(2)} of (B, S, E); DJL's default would normalise over the
 * whole (S, E) sequence, and padding would then leak into the real tokens).
 *
 * <p>Input: {@code x (B, S, E)} and {@code mask (B, S)}. Output: the new {@code x (B, S, E)} and the attention weights
 * {@code (B, h, S, S)}.
 */
public final class EncoderBlock extends AbstractBlock {

    private final LayerNorm norm1;
    private final MultiHeadAttention attention;
    private final LayerNorm norm2;
    private final Linear linear1;
    private final Linear linear2;
    private final Dropout dropout;

    /**
     * Builds the layer.
     *
     * @param embed E
     * @param heads attention heads
     * @param ffn units of the first feed-forward layer (customarily 2-4 E)
     * @param dropout dropout rate on both residual branches
     */
    public EncoderBlock(int embed, int heads, int ffn, float dropout) {
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new MultiHeadAttention(embed, heads));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
        linear1 = addChildBlock("linear1", Linear.builder().setUnits(ffn).build());
        linear2 = addChildBlock("linear2", Linear.builder().setUnits(embed).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropout).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        // TODO(hw3-1): 照上面的四行：每個子區塊用 block.forward(store, new NDList(...), training)；回傳 (新的 x, 注意力權重) / the four lines above: call each child with block.forward(store, new NDList(...), training); return (the new x, the attention weights)
        throw new UnsupportedOperationException("TODO(hw3-1): the four lines above: call each child with block.forward(store, new NDList(...), training); return (the new x, the attention weights)");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return attention.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x, inputShapes.length > 1 ? inputShapes[1] : new Shape(x.get(0), x.get(1)));
        norm2.initialize(manager, dataType, x);
        linear1.initialize(manager, dataType, x);
        linear2.initialize(manager, dataType, linear1.getOutputShapes(new Shape[] {x})[0]);
        dropout.initialize(manager, dataType, x);
    }
}
