package org.dllab.labs.week04;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the four from-scratch optimizers share: a fixed learning rate, per-parameter state, and the
 * rule that the weight's gradient is zeroed after each update (libtorch adds each backward pass to
 * the gradient, and DJL's built-in optimizers zero it the same way). Subclasses write only {@link
 * #step}.
 */
public abstract class ScratchOptimizer extends Optimizer {

    /** The step size. */
    protected final float learningRate;

    private final Map<String, Map<String, Map<Device, NDArray>>> states = new ConcurrentHashMap<>();

    /**
     * Creates the optimizer.
     *
     * @param learningRate the step size
     */
    protected ScratchOptimizer(float learningRate) {
        super(new Builder());
        if (!(learningRate > 0 && Float.isFinite(learningRate))) {
            throw new IllegalArgumentException(
                    "learning rate must be positive, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        step(parameterId, t, weight, grad);
        // DJL hands the optimizer a copy of the gradient; the one libtorch accumulates into is the
        // weight's own.
        try (NDArray own = weight.getGradient()) {
            own.subi(own);
        }
    }

    /**
     * Updates {@code weight} in place. Close every temporary array (try-with-resources): this runs
     * once per parameter per batch, and the weight's manager lives as long as the model.
     *
     * @param parameterId the parameter's id (key of its state)
     * @param t the step number, from 1
     * @param weight the parameter
     * @param grad its gradient
     */
    protected abstract void step(String parameterId, int t, NDArray weight, NDArray grad);

    /**
     * A state array of this parameter ({@code "velocity"}, {@code "m"}, ...), zeros on first use.
     *
     * @param name the state's name
     * @param parameterId the parameter
     * @param weight the parameter's array (for shape and device)
     * @return the state, updated in place by the caller
     */
    protected NDArray state(String name, String parameterId, NDArray weight) {
        return withDefaultState(
                states.computeIfAbsent(name, k -> new ConcurrentHashMap<>()),
                parameterId,
                weight.getDevice(),
                k -> weight.zerosLike());
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
