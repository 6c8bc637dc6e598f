package org.dllab.labs.week14;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import java.util.List;
import java.util.Random;
import org.dllab.core.Scalars;

/**
 * A two-layer graph convolutional network (Kipf and Welling, ICLR 2017), written from its formula:
 * {@code Z = Â relu(Â X W1 + b1) W2 + b2} with {@code Â = D^-1/2 (A + I) D^-1/2}, dropout on the
 * input of each layer. Without {@code Â} it is the same two-layer MLP on the node features alone:
 * the baseline that shows what the graph adds.
 */
public final class Gcn {

    /** Hidden units: the paper's 16. */
    public static final int HIDDEN = 16;

    /** Dropout rate on each layer's input: the paper's 0.5. */
    public static final float DROPOUT = 0.5f;

    /**
     * L2 weight decay on the first layer's weights: the paper's 5e-4 (the second layer has none).
     */
    public static final double WEIGHT_DECAY = 5e-4;

    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;

    /**
     * A network with Glorot-uniform weights and zero biases, as in the paper's code.
     *
     * @param manager owns the parameters
     * @param features input features per node
     * @param classes output classes
     * @param random the initial weights
     */
    public Gcn(NDManager manager, int features, int classes, Random random) {
        w1 = glorot(manager, features, HIDDEN, random);
        b1 = manager.zeros(new Shape(HIDDEN));
        w2 = glorot(manager, HIDDEN, classes, random);
        b2 = manager.zeros(new Shape(classes));
        for (NDArray p : parameters()) {
            p.setRequiresGradient(true);
        }
    }

    private static NDArray glorot(NDManager manager, int in, int out, Random random) {
        double limit = Math.sqrt(6.0 / (in + out));
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return manager.create(w, new Shape(in, out));
    }

    /**
     * The parameters, in the order W1, b1, W2, b2.
     *
     * @return the parameters
     */
    public List<NDArray> parameters() {
        return List.of(w1, b1, w2, b2);
    }

    /**
     * The first layer's output, {@code relu(Â X W1 + b1)}: each node's 16-dimensional embedding.
     *
     * @param adjacency {@code Â} (nodes x nodes), or null for the MLP
     * @param x node features (nodes x features)
     * @param training whether dropout is on
     * @return the embeddings
     */
    public NDArray hidden(NDArray adjacency, NDArray x, boolean training) {
        NDArray h =
                dropout(x, training)
                        .matMul(w1); // X W1 first: (N x F)(F x 16) is far cheaper than Â X
        return Activation.relu(propagate(adjacency, h).add(b1));
    }

    /**
     * The logits, {@code Â H W2 + b2}.
     *
     * @param adjacency {@code Â}, or null for the MLP
     * @param x node features
     * @param training whether dropout is on
     * @return one row of class scores per node
     */
    public NDArray forward(NDArray adjacency, NDArray x, boolean training) {
        NDArray h = dropout(hidden(adjacency, x, training), training).matMul(w2);
        return propagate(adjacency, h).add(b2);
    }

    /**
     * Adds the weight decay's gradient to W1's gradient: {@code WEIGHT_DECAY * W1}, the gradient of
     * the paper's {@code WEIGHT_DECAY * sum(W1^2) / 2} loss term (TensorFlow's l2_loss), added here
     * rather than to the loss so that no per-step array lands in the parameters' manager.
     *
     * @param w1Gradient a copy of W1's gradient, changed in place
     */
    public void addWeightDecay(NDArray w1Gradient) {
        try (NDArray decay = Scalars.mul(w1, WEIGHT_DECAY)) {
            w1Gradient.addi(decay);
        }
    }

    private static NDArray propagate(NDArray adjacency, NDArray h) {
        return adjacency == null ? h : adjacency.matMul(h);
    }

    private static NDArray dropout(NDArray x, boolean training) {
        if (!training) {
            return x;
        }
        NDList out = Dropout.dropout(x, DROPOUT, true);
        return out.singletonOrThrow();
    }
}
