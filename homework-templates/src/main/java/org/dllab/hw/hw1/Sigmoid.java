package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;

/** The logistic function {@code 1 / (1 + exp(-x))}, element-wise. */
public final class Sigmoid implements Layer {

    private NDArray output;

    @Override
    public NDArray forward(NDArray x) {
        output = org.dllab.homework.Todo.value("hw1-10: compute 1 / (1 + exp(-x))"); // TODO(hw1-10): 計算 1 / (1 + e^(-x)) / compute 1 / (1 + exp(-x))
        return output;
    }

    @Override
    public NDArray backward(NDArray gradOutput) {
        // sigma'(x) = sigma(x) (1 - sigma(x)): the forward output is all we need
        return org.dllab.homework.Todo.value("hw1-11: use the forward output s: s (1 - s)"); // TODO(hw1-11): 用前向輸出 s 計算 s(1 - s) / use the forward output s: s (1 - s)
    }
}
