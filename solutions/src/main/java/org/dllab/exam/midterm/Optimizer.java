package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Updates weights in place from the gradients the last backward pass left on them. */
public interface Optimizer {

    /**
     * One update of every weight.
     *
     * @param weights the network's weights, in a fixed order (optimizer state is kept per position)
     */
    void step(List<NDArray> weights);
}
