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

/**
 * A Transformer encoder classifier, every layer from its formula ({@link Attention}, {@link TransformerEncoder}):
 *
 * <pre>
 *   ids (B, S), mask (B, S)
 *   x = token embedding + learned position embedding                      (B, S, E)
 *   x = TransformerEncoder(x, padding mask): L pre-LN layers of MHA and FFN, then LN
 *   mean over the real tokens, linear -> one logit per class (2 for the week's sentiment task)
 * </pre>
 *
 * <p>In evaluation mode it keeps the last layer's attention weights ({@link #lastAttention()}) for the heat map.
 */
public final class TransformerClassifier extends AbstractBlock {

    private final int embed;
    private final int classes;
    private final Parameter tokens;
    private final Parameter positions;
    private final TransformerEncoder encoder;
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
        this(vocabularySize, maxLength, embed, heads, layers, ffn, 2);
    }

    /**
     * Builds the model for any number of classes (a final project's).
     *
     * @param vocabularySize token ids
     * @param maxLength longest sequence (position embeddings)
     * @param embed E
     * @param heads attention heads (divides E)
     * @param layers L
     * @param ffn units of the feed-forward layer
     * @param classes the number of logits
     */
    public TransformerClassifier(int vocabularySize, int maxLength, int embed, int heads, int layers, int ffn, int classes) {
        this.embed = embed;
        this.classes = classes;
        tokens = param("tokens", new Shape(vocabularySize, embed), new NormalInitializer(0.02f));
        positions = param("positions", new Shape(maxLength, embed), new NormalInitializer(0.02f));
        encoder = addChildBlock("encoder", new TransformerEncoder(embed, heads, layers, ffn));
        headW = param("head_w", new Shape(embed, classes), new XavierInitializer());
        headB = param("head_b", new Shape(classes), new ConstantInitializer(0f));
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
        NDList encoded = encoder.forward(store, new NDList(x, Attention.paddingOffset(mask)), training);
        if (!training) {
            lastAttention = encoded.get(1);
        }
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
        NDArray pooled = encoded.get(0).mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
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

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), embed);
        encoder.initialize(manager, dataType, x, new Shape(inputShapes[0].get(0), 1, 1, inputShapes[0].get(1)));
    }
}
