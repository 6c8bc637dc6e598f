package org.dllab.hw.hw1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A multilayer perceptron: Linear, ReLU, Linear, ReLU, ..., Linear. */
public final class Mlp {

    private final List<Layer> layers = new ArrayList<>();

    /**
     * Creates the network.
     *
     * @param manager owns the parameters
     * @param sizes layer widths, input first, e.g. {784, 64, 10}
     * @param type FLOAT32 or FLOAT64
     * @param seed the seed of the initial weights
     */
    public Mlp(NDManager manager, int[] sizes, DataType type, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(manager, sizes[i], sizes[i + 1], type, random));
            if (i + 2 < sizes.length) {
                layers.add(new ReLU());
            }
        }
    }

    /**
     * The layers, in order.
     *
     * @return the layers
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The forward pass through every layer.
     *
     * @param x (batch, sizes[0])
     * @return (batch, sizes[last])
     */
    public NDArray forward(NDArray x) {
        NDArray h = x;
        for (Layer layer : layers) {
            h = layer.forward(h);
        }
        return h;
    }

    /**
     * The backward pass: from dL/d(output) through every layer, last to first, leaving each layer's parameter
     * gradients in place.
     *
     * @param gradOutput dL/d(output of the last forward)
     * @return dL/d(input)
     */
    public NDArray backward(NDArray gradOutput) {
        // TODO(hw1-4): 由最後一層往前，把梯度依序傳回去 / walk the layers from last to first, passing the gradient back
        throw new UnsupportedOperationException("TODO(hw1-4): walk the layers from last to first, passing the gradient back");
    }

    /**
     * Every parameter, layer by layer.
     *
     * @return the parameters
     */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>();
        layers.forEach(l -> all.addAll(l.parameters()));
        return all;
    }

    /**
     * Every parameter's gradient, in the order of {@link #parameters()}.
     *
     * @return the gradients
     */
    public List<NDArray> gradients() {
        List<NDArray> all = new ArrayList<>();
        layers.forEach(l -> all.addAll(l.gradients()));
        return all;
    }

    /**
     * One step of gradient descent: {@code p <- p - lr * dL/dp} for every parameter.
     *
     * @param learningRate lr
     */
    public void sgdStep(float learningRate) {
        List<NDArray> params = parameters();
        List<NDArray> grads = gradients();
        // TODO(hw1-5): 對每個參數原地更新 p ← p − lr·∂L/∂p / update every parameter in place: p <- p - lr * dL/dp
        throw new UnsupportedOperationException("TODO(hw1-5): update every parameter in place: p <- p - lr * dL/dp");
    }
}
