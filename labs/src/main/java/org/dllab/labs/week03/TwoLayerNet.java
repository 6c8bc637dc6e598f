package org.dllab.labs.week03;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.dllab.core.Scalars;

/**
 * A two-layer network, {@code x -> relu(x W1 + b1) -> . W2 + b2 -> softmax cross-entropy}, with its
 * backward pass written out by hand, next to the same loss differentiated by DJL's autograd.
 *
 * <pre>
 *   z1 = x W1 + b1        h = relu(z1)        s = h W2 + b2        L = mean_n( logsumexp(s_n) - s_n[y_n] )
 *   dL/ds  = (softmax(s) - onehot(y)) / N
 *   dL/dW2 = h^T dL/ds    dL/db2 = sum_n dL/ds
 *   dL/dh  = dL/ds W2^T   dL/dz1 = dL/dh * [z1 > 0]
 *   dL/dW1 = x^T dL/dz1   dL/db1 = sum_n dL/dz1
 * </pre>
 */
public final class TwoLayerNet implements AutoCloseable {

    /** Parameter names, in order. */
    public static final String[] NAMES = {"W1", "b1", "W2", "b2"};

    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    private TwoLayerNet(NDManager manager) {
        this.manager = manager;
    }

    /**
     * He-initialised weights (normal, std sqrt(2 / fan_in)), zero biases, from a Java seed: two
     * nets made with the same seed start identical.
     *
     * @param parent the manager to create in (the net gets its own sub-manager)
     * @param in inputs
     * @param hidden hidden units
     * @param out classes
     * @param seed the seed
     * @param type FLOAT32 for training, FLOAT64 for gradient checks
     * @return the net (close it)
     */
    public static TwoLayerNet create(
            NDManager parent, int in, int hidden, int out, long seed, DataType type) {
        TwoLayerNet net = new TwoLayerNet(parent.newSubManager());
        Random r = new Random(seed);
        net.params.put("W1", net.gaussian(r, new Shape(in, hidden), Math.sqrt(2.0 / in), type));
        net.params.put("b1", net.manager.zeros(new Shape(hidden), type));
        net.params.put(
                "W2", net.gaussian(r, new Shape(hidden, out), Math.sqrt(2.0 / hidden), type));
        net.params.put("b2", net.manager.zeros(new Shape(out), type));
        return net;
    }

    private NDArray gaussian(Random r, Shape shape, double std, DataType type) {
        double[] v = new double[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * std;
        }
        return manager.create(v, shape).toType(type, false);
    }

    /**
     * A parameter.
     *
     * @param name one of {@link #NAMES}
     * @return the array (live: changes with training)
     */
    public NDArray param(String name) {
        return params.get(name);
    }

    /**
     * The logits.
     *
     * @param x (N, in)
     * @return (N, out), in x's manager
     */
    public NDArray logits(NDArray x) {
        NDArray z1 = x.matMul(params.get("W1")).addi(params.get("b1"));
        NDArray h = Scalars.maximum(z1, 0);
        z1.close();
        NDArray s = h.matMul(params.get("W2")).addi(params.get("b2"));
        h.close();
        return s;
    }

    /**
     * Mean softmax cross-entropy, stable (log-softmax), without in-place ops (autograd-safe).
     *
     * @param logits (N, K)
     * @param labels (N) int64
     * @return scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProbs = logits.logSoftmax(1);
        NDArray picked =
                logProbs.mul(
                                labels.oneHot((int) logits.getShape().get(1))
                                        .toType(logits.getDataType(), false))
                        .sum(new int[] {1});
        return picked.mean().neg();
    }

    /**
     * Loss and gradients by the hand-written backward pass.
     *
     * @param x (N, in)
     * @param labels (N) int64
     * @param gradsOut receives one gradient per parameter name (arrays in x's manager)
     * @return the loss
     */
    public double lossAndGradients(NDArray x, NDArray labels, Map<String, NDArray> gradsOut) {
        NDManager scope = x.getManager();
        long n = x.getShape().get(0);
        int classes = (int) params.get("W2").getShape().get(1);
        try (NDManager tmp = scope.newSubManager()) {
            x.tempAttach(tmp);
            labels.tempAttach(tmp);
            // forward, keeping what the backward pass needs
            NDArray z1 = x.matMul(params.get("W1")).add(params.get("b1"));
            NDArray h = Scalars.maximum(z1, 0);
            NDArray s = h.matMul(params.get("W2")).add(params.get("b2"));
            NDArray oneHot = labels.oneHot(classes).toType(s.getDataType(), false);
            double loss = scalar(crossEntropy(s, labels));
            // backward
            NDArray ds = s.softmax(1).sub(oneHot).div(n);
            NDArray dW2 = h.transpose().matMul(ds);
            NDArray db2 = ds.sum(new int[] {0});
            NDArray dh = ds.matMul(params.get("W2").transpose());
            NDArray dz1 = dh.mul(z1.gt(0).toType(dh.getDataType(), false));
            NDArray dW1 = x.transpose().matMul(dz1);
            NDArray db1 = dz1.sum(new int[] {0});
            NDList keep = new NDList(dW1, db1, dW2, db2);
            keep.attach(scope);
            gradsOut.put("W1", dW1);
            gradsOut.put("b1", db1);
            gradsOut.put("W2", dW2);
            gradsOut.put("b2", db2);
            return loss;
        }
    }

    /**
     * Loss and gradients by DJL's autograd on the same loss.
     *
     * @param x (N, in)
     * @param labels (N) int64
     * @param gradsOut receives one gradient per parameter (copies, in x's manager)
     * @return the loss
     */
    public double lossAndAutogradGradients(
            NDArray x, NDArray labels, Map<String, NDArray> gradsOut) {
        NDManager scope = x.getManager();
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
        double loss;
        try (NDManager tmp = scope.newSubManager()) {
            x.tempAttach(tmp);
            labels.tempAttach(tmp);
            try (GradientCollector gc = tmp.getEngine().newGradientCollector()) {
                NDArray l = crossEntropy(logits(x), labels);
                loss = scalar(l);
                gc.backward(l);
            }
            for (String name : NAMES) {
                NDArray g = params.get(name).getGradient();
                NDArray copy = g.duplicate();
                copy.attach(scope);
                gradsOut.put(name, copy);
                g.subi(g); // libtorch accumulates gradients
            }
        }
        for (NDArray p : params.values()) {
            p.setRequiresGradient(false);
        }
        return loss;
    }

    /**
     * Plain SGD: {@code p <- p - lr * dp}, closing the gradients.
     *
     * @param grads one gradient per parameter
     * @param lr the step size
     */
    public void sgd(Map<String, NDArray> grads, float lr) {
        for (String name : NAMES) {
            try (NDArray g = grads.get(name)) {
                params.get(name).subi(g.muli(lr));
            }
        }
    }

    /**
     * A scalar array's value as a double, whatever its float type.
     *
     * @param a a scalar
     * @return its value
     */
    public static double scalar(NDArray a) {
        return a.getDataType() == DataType.FLOAT64 ? a.getDouble() : a.getFloat();
    }

    @Override
    public void close() {
        manager.close();
    }
}
