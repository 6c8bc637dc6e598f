package org.dllab.labs.week04;

import ai.djl.ndarray.NDArray;

/** Plain gradient descent: {@code w <- w - lr * g}. */
public final class ScratchSgd extends ScratchOptimizer {

    /**
     * Creates SGD.
     *
     * @param learningRate the step size
     */
    public ScratchSgd(float learningRate) {
        super(learningRate);
    }

    @Override
    protected void step(String parameterId, int t, NDArray weight, NDArray grad) {
        try (NDArray delta = grad.mul(learningRate)) {
            weight.subi(delta);
        }
    }
}
