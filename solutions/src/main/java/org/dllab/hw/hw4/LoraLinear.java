package org.dllab.hw.hw4;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.dllab.core.Scalars;

/**
 * A linear layer with a LoRA adapter (Hu et al. 2021): the pretrained weight W stays frozen and a low-rank update is
 * learned beside it,
 *
 * <pre>
 *   y = x W^T + b  +  (alpha / r) * Dropout(x) A^T B^T          A: (r, in), B: (out, r)
 * </pre>
 *
 * B starts at zero, so a fresh adapter changes nothing: the model starts exactly where the pretrained one was. Only
 * A and B (r (in + out) numbers instead of in x out) are trained.
 */
public final class LoraLinear extends AbstractBlock {

    private final Linear base;
    private final Parameter a;
    private final Parameter b;
    private final Dropout dropout;
    private final int rank;
    private final float alpha;

    /**
     * Builds the layer.
     *
     * @param in input features
     * @param out output features
     * @param rank r, the rank of the update (0: no adapter, a plain linear layer)
     * @param alpha the scale numerator: the update is multiplied by alpha / r
     * @param dropout dropout on the adapter's input
     */
    public LoraLinear(int in, int out, int rank, float alpha, float dropout) {
        this.rank = rank;
        this.alpha = alpha;
        base = addChildBlock("base", Linear.builder().setUnits(out).build());
        if (rank > 0) {
            a = addParameter(Parameter.builder().setName("lora_a").setType(Parameter.Type.WEIGHT).optShape(new Shape(rank, in))
                    .optInitializer(new NormalInitializer((float) (1 / Math.sqrt(in)))).build());
            b = addParameter(Parameter.builder().setName("lora_b").setType(Parameter.Type.WEIGHT).optShape(new Shape(out, rank))
                    .optInitializer(new ConstantInitializer(0f)).build());
        } else { // a plain linear layer: no adapter parameters at all
            a = null;
            b = null;
        }
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropout).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray y = base.forward(store, inputs, training).head();
        if (rank == 0) {
            return new NDList(y);
        }
        NDArray aValue = store.getValue(a, x.getDevice(), training);
        NDArray bValue = store.getValue(b, x.getDevice(), training);
        // BEGIN SOLUTION 依上面的公式：y 加上 (alpha / r) 乘 Dropout(x) 乘 A 的轉置再乘 B 的轉置（dropout 用 this.dropout.forward）（乘常數用 Scalars.mul，不要用 x.mul(float)） | by the formula above: add (alpha / r) times Dropout(x) times A transposed times B transposed to y (dropout through this.dropout.forward) (multiply by a constant with Scalars.mul, not x.mul(float): see its Javadoc)
        NDArray dropped = dropout.forward(store, new NDList(x), training).head();
        NDArray update = Scalars.mul(dropped.matMul(aValue.transpose()).matMul(bValue.transpose()), alpha / rank);
        return new NDList(y.add(update));
        // END SOLUTION
    }

    /**
     * The frozen layer inside.
     *
     * @return the base linear layer
     */
    public Linear base() {
        return base;
    }

    /**
     * The adapter's parameters.
     *
     * @return {A, B}, or none when the rank is 0
     */
    public Parameter[] adapter() {
        return rank == 0 ? new Parameter[0] : new Parameter[] {a, b};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return base.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        base.initialize(manager, dataType, inputShapes);
        dropout.initialize(manager, dataType, inputShapes);
    }
}
