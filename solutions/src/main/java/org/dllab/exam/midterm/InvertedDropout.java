package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.dllab.core.Scalars;

/** Dropout written out: while training, each value is zeroed with probability {@code rate} and the rest scaled up. */
public final class InvertedDropout extends AbstractBlock {

    private final float rate;

    /**
     * Creates the block.
     *
     * @param rate the probability of dropping a value, in [0, 1)
     */
    public InvertedDropout(float rate) {
        this.rate = rate;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow(), rate, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /**
     * Dropout of one array.
     *
     * @param x the input
     * @param rate the probability of dropping a value
     * @param training whether the network is training
     * @return x itself when evaluating; x with dropped values zeroed and the kept ones scaled by 1 / (1 - rate) when training
     */
    public static NDArray apply(NDArray x, float rate, boolean training) {
        // BUG dropout
        // en: Dropout acts only while training, and the kept values are divided by 1 - rate so that a value's expected size is the same in training and evaluation; left on at evaluation, predictions are random, and unscaled, the evaluated network sees inputs 1 / (1 - rate) times larger than it was trained on.
        // zh: Dropout 只在訓練時作用，保留的值要除以 1 - rate，讓訓練與評估時數值的期望大小一致；評估時還開著，預測就變成隨機的；沒有放大，評估時網路看到的輸入比訓練時大了 1 / (1 - rate) 倍。
        if (!training || rate == 0) {
            return x;
        }
        NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(rate).toType(x.getDataType(), false);
        return Scalars.div(x.mul(keep), 1 - rate);
        // VARIANT on-at-evaluation: the mask is applied whether training or not
        // > if (rate == 0) {
        // >     return x;
        // > }
        // > NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(rate).toType(x.getDataType(), false);
        // > return Scalars.div(x.mul(keep), 1 - rate);
        // VARIANT unscaled: the kept values are not scaled up
        // > if (!training || rate == 0) {
        // >     return x;
        // > }
        // > NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape()).gte(rate).toType(x.getDataType(), false);
        // > return x.mul(keep);
        // END BUG
    }
}
