package org.dllab.labs.week15;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A small fully connected network as plain parameters: {@code Linear -> ReLU -> ... -> Linear}. The
 * agents of this week need what a {@code Trainer} hides: a second copy of a network (DQN's target
 * network), gradients of a loss they build themselves, and fast single-state forward passes while
 * acting.
 */
public final class Mlp implements AutoCloseable {

    private final NDManager manager;
    private final String name;
    private final int[] sizes;
    private final List<NDArray> params = new ArrayList<>();

    /**
     * Builds and initialises the network like PyTorch's {@code nn.Linear}: weights and biases
     * uniform in {@code +-1/sqrt(fan_in)}. Draws from the engine's random generator (seeded by
     * {@code DjlRuntime.engine}).
     *
     * @param parent the manager it lives under (it gets its own sub-manager)
     * @param name a prefix for the optimizer's state (two networks sharing an optimizer need
     *     different names)
     * @param sizes layer widths, input first, e.g. {4, 128, 2}
     */
    public Mlp(NDManager parent, String name, int... sizes) {
        this.manager = parent.newSubManager();
        this.name = name;
        this.sizes = sizes.clone();
        for (int i = 0; i + 1 < sizes.length; i++) {
            float bound = (float) (1 / Math.sqrt(sizes[i]));
            params.add(manager.randomUniform(-bound, bound, new Shape(sizes[i], sizes[i + 1])));
            params.add(manager.randomUniform(-bound, bound, new Shape(sizes[i + 1])));
        }
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
    }

    /**
     * The forward pass. The result belongs to {@code x}'s manager.
     *
     * @param x (N, sizes[0])
     * @return (N, last size)
     */
    public NDArray forward(NDArray x) {
        NDArray h = x;
        for (int i = 0; i < params.size(); i += 2) {
            h = h.matMul(params.get(i)).add(params.get(i + 1));
            if (i + 2 < params.size()) {
                h = Activation.relu(h);
            }
        }
        return h;
    }

    /**
     * The output for one input, as Java numbers (acting in an environment).
     *
     * @param input one input vector
     * @return the outputs
     */
    public float[] apply(double[] input) {
        float[] in = new float[input.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) input[i];
        }
        try (NDManager step = manager.newSubManager()) {
            return forward(step.create(in, new Shape(1, in.length))).toFloatArray();
        }
    }

    /**
     * One optimizer step on every parameter with the gradients of the last backward pass (DJL's
     * optimizers zero them).
     *
     * @param optimizer e.g. {@code Optimizer.adam()...build()}
     */
    public void step(Optimizer optimizer) {
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            try (NDArray g = p.getGradient()) {
                optimizer.update(name + i, p, g);
            }
        }
    }

    /**
     * Overwrites this network's parameters with a copy of another's of the same shape (DQN's target
     * update).
     *
     * @param other the source
     */
    public void copyFrom(Mlp other) {
        if (!java.util.Arrays.equals(sizes, other.sizes)) {
            throw new IllegalArgumentException(
                    "layer sizes differ: "
                            + java.util.Arrays.toString(sizes)
                            + " vs "
                            + java.util.Arrays.toString(other.sizes));
        }
        for (int i = 0; i < params.size(); i++) {
            NDArray copy =
                    other.params
                            .get(i)
                            .duplicate(); // libtorch's clone: its own memory, no gradient link
            copy.attach(manager);
            copy.setRequiresGradient(true);
            params.get(i).close();
            params.set(i, copy);
        }
    }

    /**
     * The number of parameters.
     *
     * @return weights and biases
     */
    public long parameterCount() {
        return params.stream().mapToLong(NDArray::size).sum();
    }

    @Override
    public void close() {
        manager.close();
    }
}
