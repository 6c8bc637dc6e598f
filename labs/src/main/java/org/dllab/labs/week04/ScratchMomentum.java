package org.dllab.labs.week04;

import ai.djl.ndarray.NDArray;

/**
 * SGD with momentum (the heavy ball): {@code v <- mu * v + g; w <- w - lr * v}. The velocity
 * remembers past gradients, so steps grow along a consistent direction and cancel across an
 * oscillating one.
 */
public final class ScratchMomentum extends ScratchOptimizer {

    private final float momentum;

    /**
     * Creates momentum SGD.
     *
     * @param learningRate the step size
     * @param momentum mu, typically 0.9
     */
    public ScratchMomentum(float learningRate, float momentum) {
        super(learningRate);
        this.momentum = momentum;
    }

    @Override
    protected void step(String parameterId, int t, NDArray weight, NDArray grad) {
        NDArray v = state("velocity", parameterId, weight);
        v.muli(momentum).addi(grad);
        try (NDArray delta = v.mul(learningRate)) {
            weight.subi(delta);
        }
    }
}
