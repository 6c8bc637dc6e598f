package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** SGD with momentum: {@code v <- mu * v + g; w <- w - lr * v}. */
public final class Momentum implements Optimizer {

    private final float learningRate;
    private final float momentum;
    private final List<NDArray> velocities = new ArrayList<>();

    /**
     * Creates the optimizer.
     *
     * @param learningRate the step size
     * @param momentum how much of the previous velocity is kept, typically 0.9
     */
    public Momentum(float learningRate, float momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public void step(List<NDArray> weights) {
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            if (velocities.size() <= i) {
                velocities.add(w.zerosLike());
            }
            NDArray v = velocities.get(i);
            try (NDArray g = w.getGradient()) {
                // BUG momentum
                // en: The velocity is state: it must be updated in place (muli/addi) and kept between steps, and the step goes against the gradient. mul/add return new arrays and leave the stored velocity at zero (plain SGD); adding the velocity climbs the loss.
                // zh: 速度是要保留的狀態：必須就地更新（muli/addi）並在步與步之間保留，且更新方向與梯度相反。mul/add 會回傳新陣列，存著的速度一直是 0（退化成 SGD）；加上速度則是往損失變大的方向走。
                v.muli(momentum).addi(g);
                try (NDArray delta = v.mul(learningRate)) {
                    w.subi(delta);
                }
                // VARIANT not-kept: the new velocity is a new array; the stored one never changes
                // > try (NDArray moved = v.mul(momentum).add(g); NDArray delta = moved.mul(learningRate)) {
                // >     w.subi(delta);
                // > }
                // VARIANT ascent: the velocity is added to the weights
                // > v.muli(momentum).addi(g);
                // > try (NDArray delta = v.mul(learningRate)) {
                // >     w.addi(delta);
                // > }
                // END BUG
            }
        }
    }
}
