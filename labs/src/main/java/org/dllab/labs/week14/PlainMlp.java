package org.dllab.labs.week14;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The week-5 MNIST MLP (784 -> 256 -> 128 -> 10) as a plain list of parameters, for the techniques
 * that need to hold the weights themselves: fp32 master weights with fp16 copies (mixed precision),
 * and an optimizer whose state goes into a checkpoint.
 */
public final class PlainMlp {

    /** Layer widths. */
    public static final int[] SIZES = {784, 256, 128, 10};

    private PlainMlp() {}

    /**
     * Fresh parameters, PyTorch's {@code nn.Linear} initialisation (uniform in +-1/sqrt(fan_in)),
     * from the engine's generator.
     *
     * @param manager owns them
     * @return W1, b1, W2, b2, W3, b3, each requiring a gradient
     */
    public static List<NDArray> init(NDManager manager) {
        List<NDArray> params = new ArrayList<>();
        for (int i = 0; i + 1 < SIZES.length; i++) {
            float bound = (float) (1 / Math.sqrt(SIZES[i]));
            params.add(manager.randomUniform(-bound, bound, new Shape(SIZES[i], SIZES[i + 1])));
            params.add(manager.randomUniform(-bound, bound, new Shape(SIZES[i + 1])));
        }
        params.forEach(p -> p.setRequiresGradient(true));
        return params;
    }

    /**
     * The logits, in the data type of {@code x} and the parameters (fp32 or fp16). The result
     * belongs to x's manager.
     *
     * @param x (N, 1, 28, 28) or (N, 784)
     * @param params as from {@link #init}, or copies of them in another precision
     * @return (N, 10)
     */
    public static NDArray forward(NDArray x, List<NDArray> params) {
        NDArray h = x.reshape(x.getShape().get(0), SIZES[0]);
        for (int i = 0; i < params.size(); i += 2) {
            h = h.matMul(params.get(i)).add(params.get(i + 1));
            if (i + 2 < params.size()) {
                h = Activation.relu(h);
            }
        }
        return h;
    }

    /**
     * Mean softmax cross-entropy, computed in the logits' precision.
     *
     * @param logits (N, 10)
     * @param labels (N) class indices
     * @return the scalar loss
     */
    public static NDArray loss(NDArray logits, NDArray labels) {
        NDArray picked = labels.oneHot(10).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(picked).sum(new int[] {1}).neg().mean();
    }

    /**
     * The accuracy of some parameters on a dataset given as arrays.
     *
     * @param params the parameters
     * @param x all images, normalised
     * @param y all labels
     * @return the fraction right
     */
    public static double accuracy(List<NDArray> params, NDArray x, NDArray y) {
        try (NDManager m = x.getManager().newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(m);
            NDArray logits = forward(xs.toType(params.get(0).getDataType(), false), params);
            long right = logits.argMax(1).eq(y.toType(DataType.INT64, false)).sum().getLong();
            return right / (double) y.size();
        }
    }
}
