package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;

/** Mean squared error over every element: {@code L = mean((p - t)^2)}. */
public final class MseLoss {

    private NDArray difference;

    /**
     * The loss.
     *
     * @param prediction p
     * @param target t, same shape
     * @return the scalar loss
     */
    public NDArray forward(NDArray prediction, NDArray target) {
        difference = prediction.sub(target);
        return difference.square().mean(); // SOLUTION 平方誤差的平均 | the mean of the squared differences
    }

    /**
     * dL/dp for the last {@link #forward}.
     *
     * @return the gradient, the shape of the prediction
     */
    public NDArray backward() {
        return difference.mul(2.0 / difference.size()); // SOLUTION 2(p - t) / 元素個數 | 2 (p - t) / number of elements
    }
}
