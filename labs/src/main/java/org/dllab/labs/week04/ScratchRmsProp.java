package org.dllab.labs.week04;

import ai.djl.ndarray.NDArray;

/**
 * RMSProp: {@code s <- rho * s + (1 - rho) * g^2; w <- w - lr * g / (sqrt(s) + eps)}. Each
 * coordinate's step is divided by a running size of its gradients, so steep and flat directions
 * move at similar speeds.
 */
public final class ScratchRmsProp extends ScratchOptimizer {

    private final float rho;
    private final float epsilon;

    /**
     * Creates RMSProp.
     *
     * @param learningRate the step size
     * @param rho decay of the running mean of squares, typically 0.9 (PyTorch's default is 0.99)
     * @param epsilon keeps the division finite, typically 1e-8
     */
    public ScratchRmsProp(float learningRate, float rho, float epsilon) {
        super(learningRate);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    protected void step(String parameterId, int t, NDArray weight, NDArray grad) {
        NDArray s = state("mean_square", parameterId, weight);
        try (NDArray g2 = grad.square().muli(1 - rho)) {
            s.muli(rho).addi(g2);
        }
        try (NDArray denom = s.sqrt().addi(epsilon);
                NDArray delta = grad.div(denom).muli(learningRate)) {
            weight.subi(delta);
        }
    }
}
