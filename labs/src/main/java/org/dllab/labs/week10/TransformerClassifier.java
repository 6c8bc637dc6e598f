package org.dllab.labs.week10;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A Transformer encoder classifier, the whole model in one file, every layer from its formula ({@link Attention}):
 *
 * <pre>
 *   ids (B, S), mask (B, S)
 *   x = token embedding + learned position embedding                      (B, S, E)
 *   repeat L times (pre-LN):  x = x + MHA(LN(x), padding mask)
 *                             x = x + W2 relu(W1 LN(x) + b1) + b2          (FFN of 2E... 4E units)
 *   LN, mean over the real tokens, linear -> 2 logits
 * </pre>
 *
 * <p>In evaluation mode it keeps the last layer's attention weights ({@link #lastAttention()}) for the heat map.
 */
public final class TransformerClassifier extends AbstractBlock {

    private final int embed;
    private final int heads;
    private final int layers;
    private final Parameter tokens;
    private final Parameter positions;
    private final List<Parameter[]> layerParams = new ArrayList<>();
    private final Parameter[] finalNorm;
    private final Parameter headW;
    private final Parameter headB;
    private NDArray lastAttention;

    /**
     * Builds the model.
     *
     * @param vocabularySize token ids
     * @param maxLength longest sequence (position embeddings)
     * @param embed E
     * @param heads attention heads (divides E)
     * @param layers L
     * @param ffn units of the feed-forward layer
     */
    public TransformerClassifier(int vocabularySize, int maxLength, int embed, int heads, int layers, int ffn) {
        this.embed = embed;
        this.heads = heads;
        this.layers = layers;
        tokens = param("tokens", new Shape(vocabularySize, embed), new NormalInitializer(0.02f));
        positions = param("positions", new Shape(maxLength, embed), new NormalInitializer(0.02f));
        for (int l = 0; l < layers; l++) {
            String p = "layer" + l + "_";
            layerParams.add(new Parameter[] {
                param(p + "ln1_gamma", new Shape(embed), new ConstantInitializer(1f)), param(p + "ln1_beta", new Shape(embed), new ConstantInitializer(0f)),
                param(p + "wq", new Shape(embed, embed), new XavierInitializer()), param(p + "bq", new Shape(embed), new ConstantInitializer(0f)),
                param(p + "wk", new Shape(embed, embed), new XavierInitializer()), param(p + "bk", new Shape(embed), new ConstantInitializer(0f)),
                param(p + "wv", new Shape(embed, embed), new XavierInitializer()), param(p + "bv", new Shape(embed), new ConstantInitializer(0f)),
                param(p + "wo", new Shape(embed, embed), new XavierInitializer()), param(p + "bo", new Shape(embed), new ConstantInitializer(0f)),
                param(p + "ln2_gamma", new Shape(embed), new ConstantInitializer(1f)), param(p + "ln2_beta", new Shape(embed), new ConstantInitializer(0f)),
                param(p + "w1", new Shape(embed, ffn), new XavierInitializer()), param(p + "b1", new Shape(ffn), new ConstantInitializer(0f)),
                param(p + "w2", new Shape(ffn, embed), new XavierInitializer()), param(p + "b2", new Shape(embed), new ConstantInitializer(0f))
            });
        }
        finalNorm = new Parameter[] {param("ln_gamma", new Shape(embed), new ConstantInitializer(1f)),
            param("ln_beta", new Shape(embed), new ConstantInitializer(0f))};
        headW = param("head_w", new Shape(embed, 2), new XavierInitializer());
        headB = param("head_b", new Shape(2), new ConstantInitializer(0f));
    }

    private Parameter param(String name, Shape shape, ai.djl.training.initializer.Initializer init) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape).optInitializer(init).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        long s = ids.getShape().get(1);
        NDArray table = value(store, tokens, ids, training);
        NDArray x = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).head()
                .add(value(store, positions, ids, training).get("0:" + s));
        NDArray offset = Attention.paddingOffset(mask);
        NDArray attention = null;
        for (Parameter[] p : layerParams) {
            NDArray[] v = new NDArray[p.length];
            for (int i = 0; i < p.length; i++) {
                v[i] = value(store, p[i], ids, training);
            }
            NDList a = Attention.multiHead(Attention.layerNorm(x, v[0], v[1]), offset, heads, v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
            x = x.add(a.get(0));
            attention = a.get(1);
            NDArray h = Attention.layerNorm(x, v[10], v[11]);
            x = x.add(h.matMul(v[12]).add(v[13]).getNDArrayInternal().relu().matMul(v[14]).add(v[15]));
        }
        if (!training) {
            lastAttention = attention;
        }
        x = Attention.layerNorm(x, value(store, finalNorm[0], ids, training), value(store, finalNorm[1], ids, training));
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
        NDArray pooled = x.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
        return new NDList(pooled.matMul(value(store, headW, ids, training)).add(value(store, headB, ids, training)));
    }

    private static NDArray value(ParameterStore store, Parameter p, NDArray like, boolean training) {
        return store.getValue(p, like.getDevice(), training);
    }

    /**
     * The last layer's attention weights from the latest evaluation-mode pass (they belong to that pass's manager).
     *
     * @return (B, heads, S, S), or null before any
     */
    public NDArray lastAttention() {
        return lastAttention;
    }

    /**
     * The layer count.
     *
     * @return L
     */
    public int layers() {
        return layers;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: every parameter has its shape from the constructor
    }

    /**
     * The embedding size.
     *
     * @return E
     */
    public int embedSize() {
        return embed;
    }
}
