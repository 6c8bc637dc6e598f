package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;

/** The rectified linear unit, {@code max(0, x)}, element-wise. */
public final class ReLU implements Layer {

    private NDArray input;

    @Override
    public NDArray forward(NDArray x) {
        input = x;
        return x.maximum(0); // SOLUTION 計算 max(0, x) | compute max(0, x)
    }

    @Override
    public NDArray backward(NDArray gradOutput) {
        // the derivative is 1 where x > 0 and 0 elsewhere (we take 0 at x = 0)
        return gradOutput.mul(input.gt(0).toType(gradOutput.getDataType(), false)); // SOLUTION 梯度只在 x > 0 處通過 | pass the gradient where x > 0 only
    }
}
