package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam: {@code m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2; w <- w - lr * m^ / (sqrt(v^) + eps)} with the
 * bias-corrected {@code m^ = m / (1 - b1^t)}, {@code v^ = v / (1 - b2^t)} for step {@code t = 1, 2, ...}.
 */
public final class Adam implements Optimizer {

    private final float learningRate;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    /**
     * Creates the optimizer.
     *
     * @param learningRate the step size, typically 1e-3
     */
    public Adam(float learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void step(List<NDArray> weights) {
        t++;
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            if (m.size() <= i) {
                m.add(w.zerosLike());
                v.add(w.zerosLike());
            }
            try (NDArray g = w.getGradient(); NDArray g1 = g.mul(1 - beta1); NDArray g2 = g.square().muli(1 - beta2)) {
                m.get(i).muli(beta1).addi(g1);
                v.get(i).muli(beta2).addi(g2);
            }
            // BUG adam-bias
            // en: Adam's moments start at zero, so each is divided by 1 - beta^t with its own beta and t counted from 1; with t from 0 the first step divides by zero (NaN weights), and swapped betas make the first step 1000 times too large.
            // zh: Adam 的動差從 0 開始，所以各自除以 1 - beta^t（用自己的 beta，t 從 1 數起）；t 從 0 算時第一步會除以 0（權重變 NaN），beta 對調則第一步大了 1000 倍。
            double mScale = 1 / (1 - Math.pow(beta1, t));
            double vScale = 1 / (1 - Math.pow(beta2, t));
            // VARIANT t-from-zero: the correction uses the step count before this step
            // > double mScale = 1 / (1 - Math.pow(beta1, t - 1));
            // > double vScale = 1 / (1 - Math.pow(beta2, t - 1));
            // VARIANT swapped-betas: each moment is corrected with the other's beta
            // > double mScale = 1 / (1 - Math.pow(beta2, t));
            // > double vScale = 1 / (1 - Math.pow(beta1, t));
            // END BUG
            try (NDArray mHat = m.get(i).mul((float) mScale);
                    NDArray vHat = v.get(i).mul((float) vScale);
                    NDArray denominator = vHat.sqrt().addi(epsilon);
                    NDArray delta = mHat.div(denominator).muli(learningRate)) {
                w.subi(delta);
            }
        }
    }
}
