package org.dllab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of pre-LN Transformer encoder layers, every operation from {@link Attention}, then a
 * final layer norm:
 *
 * <pre>
 *   repeat L times:  x = x + MHA(LN(x), mask)
 *                    x = x + W2 relu(W1 LN(x) + b1) + b2
 *   LN(x)
 * </pre>
 *
 * Input: {@code x (B, S, E)} and optionally the additive mask offset of {@link
 * Attention#paddingOffset}. Output: the encoded {@code (B, S, E)} and the last layer's attention
 * weights {@code (B, heads, S, S)}. The text classifier of week 10 and the vision transformer of
 * week 11 share it.
 */
public final class TransformerEncoder extends AbstractBlock {

    /**
     * Uniform in +-sqrt(2 / (in + out)): for a square matrix PyTorch's default for a linear layer,
     * 0.4 of DJL's default Xavier (magnitude 6). The vision transformer trains much faster with it
     * (see {@code VisionTransformer}).
     */
    public static final Initializer PYTORCH_LINEAR =
            new XavierInitializer(
                    XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 1f);

    private final int heads;
    private final List<Parameter[]> layers = new ArrayList<>();
    private final Parameter[] finalNorm;

    /**
     * Builds the stack.
     *
     * @param embed E
     * @param heads attention heads (divides E)
     * @param layers L
     * @param ffn units of each feed-forward layer
     */
    public TransformerEncoder(int embed, int heads, int layers, int ffn) {
        this(embed, heads, layers, ffn, new XavierInitializer());
    }

    /**
     * Builds the stack with a chosen initializer for the weight matrices (biases start at 0, norms
     * at 1).
     *
     * @param embed E
     * @param heads attention heads (divides E)
     * @param layers L
     * @param ffn units of each feed-forward layer
     * @param weights initializer of the (in, out) matrices
     */
    public TransformerEncoder(int embed, int heads, int layers, int ffn, Initializer weights) {
        this.heads = heads;
        for (int l = 0; l < layers; l++) {
            String p = "layer" + l + "_";
            this.layers.add(
                    new Parameter[] {
                        param(p + "ln1_gamma", new Shape(embed), new ConstantInitializer(1f)),
                                param(
                                        p + "ln1_beta",
                                        new Shape(embed),
                                        new ConstantInitializer(0f)),
                        param(p + "wq", new Shape(embed, embed), weights),
                                param(p + "bq", new Shape(embed), new ConstantInitializer(0f)),
                        param(p + "wk", new Shape(embed, embed), weights),
                                param(p + "bk", new Shape(embed), new ConstantInitializer(0f)),
                        param(p + "wv", new Shape(embed, embed), weights),
                                param(p + "bv", new Shape(embed), new ConstantInitializer(0f)),
                        param(p + "wo", new Shape(embed, embed), weights),
                                param(p + "bo", new Shape(embed), new ConstantInitializer(0f)),
                        param(p + "ln2_gamma", new Shape(embed), new ConstantInitializer(1f)),
                                param(
                                        p + "ln2_beta",
                                        new Shape(embed),
                                        new ConstantInitializer(0f)),
                        param(p + "w1", new Shape(embed, ffn), weights),
                                param(p + "b1", new Shape(ffn), new ConstantInitializer(0f)),
                        param(p + "w2", new Shape(ffn, embed), weights),
                                param(p + "b2", new Shape(embed), new ConstantInitializer(0f))
                    });
        }
        finalNorm =
                new Parameter[] {
                    param("ln_gamma", new Shape(embed), new ConstantInitializer(1f)),
                    param("ln_beta", new Shape(embed), new ConstantInitializer(0f))
                };
    }

    private Parameter param(String name, Shape shape, Initializer init) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(shape)
                        .optInitializer(init)
                        .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray offset = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray attention = null;
        for (Parameter[] p : layers) {
            NDArray[] v = new NDArray[p.length];
            for (int i = 0; i < p.length; i++) {
                v[i] = store.getValue(p[i], x.getDevice(), training);
            }
            NDList a =
                    Attention.multiHead(
                            Attention.layerNorm(x, v[0], v[1]),
                            offset,
                            heads,
                            v[2],
                            v[3],
                            v[4],
                            v[5],
                            v[6],
                            v[7],
                            v[8],
                            v[9]);
            x = x.add(a.get(0));
            attention = a.get(1);
            NDArray h = Attention.layerNorm(x, v[10], v[11]);
            x =
                    x.add(
                            h.matMul(v[12])
                                    .add(v[13])
                                    .getNDArrayInternal()
                                    .relu()
                                    .matMul(v[14])
                                    .add(v[15]));
        }
        x =
                Attention.layerNorm(
                        x,
                        store.getValue(finalNorm[0], x.getDevice(), training),
                        store.getValue(finalNorm[1], x.getDevice(), training));
        return new NDList(x, attention);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x, new Shape(x.get(0), heads, x.get(1), x.get(1))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: every parameter has its shape from the constructor
    }
}
