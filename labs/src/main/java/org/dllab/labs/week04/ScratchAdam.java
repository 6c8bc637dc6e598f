package org.dllab.labs.week04;

import ai.djl.ndarray.NDArray;

/**
 * Adam: momentum on the gradient ({@code m}) and RMSProp's scale ({@code v}), both bias-corrected
 * for their zero start: {@code w <- w - lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}
 * (the correction folded into the step size, as in the Adam paper's efficient form and in DJL).
 */
public final class ScratchAdam extends ScratchOptimizer {

    private final float beta1;
    private final float beta2;
    private final float epsilon;

    /**
     * Creates Adam.
     *
     * @param learningRate the step size, typically 1e-3
     * @param beta1 decay of the first moment, typically 0.9
     * @param beta2 decay of the second moment, typically 0.999
     * @param epsilon typically 1e-8
     */
    public ScratchAdam(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    protected void step(String parameterId, int t, NDArray weight, NDArray grad) {
        NDArray m = state("m", parameterId, weight);
        NDArray v = state("v", parameterId, weight);
        try (NDArray g1 = grad.mul(1 - beta1);
                NDArray g2 = grad.square().muli(1 - beta2)) {
            m.muli(beta1).addi(g1);
            v.muli(beta2).addi(g2);
        }
        float corrected =
                (float)
                        (learningRate
                                * Math.sqrt(1 - Math.pow(beta2, t))
                                / (1 - Math.pow(beta1, t)));
        try (NDArray denom = v.sqrt().addi(epsilon);
                NDArray delta = m.div(denom).muli(corrected)) {
            weight.subi(delta);
        }
    }
}
