package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A layer with a hand-written backward pass. {@link #forward} remembers what {@link #backward} needs;
 * {@link #backward} receives dL/d(output) and returns dL/d(input), storing dL/d(parameter) for each parameter.
 */
public interface Layer {

    /**
     * The forward pass.
     *
     * @param x the input, (batch, features)
     * @return the output
     */
    NDArray forward(NDArray x);

    /**
     * The backward pass, for the input of the last {@link #forward} call.
     *
     * @param gradOutput dL/d(output), the shape of the output
     * @return dL/d(input), the shape of the input
     */
    NDArray backward(NDArray gradOutput);

    /**
     * The parameters (empty for activations).
     *
     * @return the parameter arrays, updated in place by the optimizer
     */
    default List<NDArray> parameters() {
        return List.of();
    }

    /**
     * dL/d(parameter) from the last {@link #backward}, in the order of {@link #parameters()}.
     *
     * @return the gradients
     */
    default List<NDArray> gradients() {
        return List.of();
    }
}
