package org.dllab.labs.week02;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.dllab.core.Scalars;
import org.dllab.run.TrainingInterrupt;

/**
 * Linear and logistic regression, each solved three ways, on design matrices whose last column is
 * the bias (1). The losses are the same functions for all three methods, so their answers can be
 * compared.
 *
 * <ul>
 *   <li>linear, {@code L(W) = (1/N) sum_n ||x_n W - y_n||^2}: normal equations; gradient descent
 *       with the hand gradient {@code (2/N) X^T (X W - Y)}; gradient descent with autograd;
 *   <li>logistic, {@code L(w) = mean BCE(sigmoid(X w), y) + (lambda/2) ||w||^2}: Newton's method
 *       (there is no closed form; Newton is the exact second-order solver); the hand gradient
 *       {@code X^T (sigmoid(X w) - y) / N + lambda w}; autograd.
 * </ul>
 *
 * <p>The logistic loss is week 5's {@link Losses#binaryCrossEntropyWithLogits}, the stable form.
 *
 * <p>Memory: every function works in a sub-manager to which its inputs are temporarily attached, so
 * all intermediate arrays are freed when it returns (these run hundreds of times).
 */
public final class Regression {

    private Regression() {}

    /**
     * A scope whose closing frees every array made inside it and returns the inputs to their own
     * managers.
     */
    private static NDManager scope(NDArray... inputs) {
        NDManager tmp = inputs[0].getManager().newSubManager();
        for (NDArray a : inputs) {
            a.tempAttach(tmp);
        }
        return tmp;
    }

    /**
     * Least squares by the normal equations, {@code (X^T X + ridge I) W = X^T Y}, in float64. The
     * small ridge makes the system solvable when some pixels are constant (their centred columns
     * are all zero).
     *
     * @param x (N, D)
     * @param y (N, K)
     * @param ridge e.g. 1
     * @return W (D, K), float32, in x's manager
     */
    public static NDArray linearClosedForm(NDArray x, NDArray y, double ridge) {
        NDManager home = x.getManager();
        try (NDManager tmp = scope(x, y)) {
            NDArray xd = x.toType(DataType.FLOAT64, true);
            NDArray xt = xd.transpose();
            NDArray system =
                    xt.matMul(xd)
                            .addi(
                                    tmp.eye((int) x.getShape().get(1))
                                            .toType(DataType.FLOAT64, false)
                                            .muli(ridge));
            // inverse() is what DJL offers; a linear solver would be more accurate on
            // ill-conditioned systems
            NDArray w =
                    system.inverse()
                            .matMul(xt.matMul(y.toType(DataType.FLOAT64, true)))
                            .toType(DataType.FLOAT32, true);
            w.attach(home);
            return w;
        }
    }

    /**
     * The linear-regression loss.
     *
     * @param x (N, D)
     * @param y (N, K)
     * @param w (D, K)
     * @return mean over examples of the squared error summed over outputs
     */
    public static float linearLoss(NDArray x, NDArray y, NDArray w) {
        try (NDManager tmp = scope(x, y, w)) {
            return x.matMul(w).subi(y).square().sum().getFloat() / x.getShape().get(0);
        }
    }

    /**
     * One gradient-descent step on the linear loss with the hand-derived gradient.
     *
     * @param x (N, D)
     * @param y (N, K)
     * @param w (D, K), updated in place
     * @param lr step size
     * @return the loss before the step (the residual is at hand anyway)
     */
    public static float linearHandStep(NDArray x, NDArray y, NDArray w, float lr) {
        try (NDManager tmp = scope(x, y, w)) {
            NDArray residual = x.matMul(w).subi(y);
            float loss = residual.square().sum().getFloat() / x.getShape().get(0);
            NDArray grad = x.transpose().matMul(residual).muli(2f / x.getShape().get(0));
            w.subi(grad.muli(lr));
            return loss;
        }
    }

    /**
     * One gradient-descent step on the linear loss with DJL's autograd.
     *
     * @param x (N, D)
     * @param y (N, K)
     * @param w (D, K) with gradient enabled, updated in place
     * @param lr step size
     * @return the loss before the step
     */
    public static float linearAutogradStep(NDArray x, NDArray y, NDArray w, float lr) {
        try (NDManager tmp = scope(x, y, w)) {
            NDArray loss;
            try (GradientCollector gc = tmp.getEngine().newGradientCollector()) {
                loss = x.matMul(w).sub(y).square().sum().div(x.getShape().get(0));
                gc.backward(loss);
            }
            applyGradient(w, lr);
            TrainingInterrupt.check(); // a signal stops the run here, between steps
            return loss.getFloat();
        }
    }

    /**
     * The largest stable step of gradient descent on the linear loss: {@code 2 / lambda_max} of the
     * loss's Hessian {@code (2/N) X^T X}, by power iteration. Larger steps diverge.
     *
     * @param x (N, D)
     * @param iterations power iterations, e.g. 100
     * @return the bound
     */
    public static double linearStepBound(NDArray x, int iterations) {
        try (NDManager tmp = scope(x)) {
            NDArray xd = x.toType(DataType.FLOAT64, true);
            NDArray hessian = xd.transpose().matMul(xd).muli(2.0 / x.getShape().get(0));
            NDArray v = tmp.ones(new Shape(hessian.getShape().get(0), 1), DataType.FLOAT64);
            double lambda = 0;
            for (int i = 0; i < iterations; i++) {
                NDArray hv = hessian.matMul(v);
                lambda = hv.norm().getDouble();
                v = hv.divi(lambda);
            }
            return 2 / lambda;
        }
    }

    /**
     * The regularised logistic loss, with the stable form {@code max(z,0) - z y + log(1 +
     * exp(-|z|))}.
     *
     * @param x (N, D)
     * @param y (N, 1) of 0/1
     * @param w (D, 1)
     * @param lambda L2 strength
     * @return the loss
     */
    public static float logisticLoss(NDArray x, NDArray y, NDArray w, float lambda) {
        try (NDManager tmp = scope(x, y, w)) {
            return logisticLossArray(x, y, w, lambda).getFloat();
        }
    }

    private static NDArray logisticLossArray(NDArray x, NDArray y, NDArray w, float lambda) {
        return logisticLoss(x.matMul(w), y).add(Scalars.mul(w.square().sum(), lambda / 2));
    }

    /**
     * One hand-derived gradient step on the logistic loss.
     *
     * @param x (N, D)
     * @param y (N, 1)
     * @param w (D, 1), updated in place
     * @param lambda L2 strength
     * @param lr step size
     */
    public static void logisticHandStep(NDArray x, NDArray y, NDArray w, float lambda, float lr) {
        try (NDManager tmp = scope(x, y, w)) {
            NDArray p = x.matMul(w).getNDArrayInternal().sigmoid();
            NDArray grad =
                    x.transpose().matMul(p.subi(y)).divi(x.getShape().get(0)).addi(w.mul(lambda));
            w.subi(grad.muli(lr));
        }
    }

    /**
     * One autograd gradient step on the logistic loss.
     *
     * @param x (N, D)
     * @param y (N, 1)
     * @param w (D, 1) with gradient enabled, updated in place
     * @param lambda L2 strength
     * @param lr step size
     */
    public static void logisticAutogradStep(
            NDArray x, NDArray y, NDArray w, float lambda, float lr) {
        try (NDManager tmp = scope(x, y, w)) {
            try (GradientCollector gc = tmp.getEngine().newGradientCollector()) {
                gc.backward(logisticLossArray(x, y, w, lambda));
            }
            applyGradient(w, lr);
            TrainingInterrupt.check(); // a signal stops the run here, between steps
        }
    }

    /**
     * Newton's method on the logistic loss in float64: {@code w <- w - H^-1 g}, with {@code H = X^T
     * diag(p (1 - p)) X / N + lambda I}. A handful of iterations reach the minimum.
     *
     * @param x (N, D)
     * @param y (N, 1)
     * @param lambda L2 strength (also keeps H invertible)
     * @param iterations e.g. 8
     * @return w (D, 1), float32, in x's manager
     */
    public static NDArray logisticNewton(NDArray x, NDArray y, float lambda, int iterations) {
        NDManager home = x.getManager();
        long n = x.getShape().get(0);
        int d = (int) x.getShape().get(1);
        try (NDManager tmp = scope(x, y)) {
            NDArray xd = x.toType(DataType.FLOAT64, true);
            NDArray yd = y.toType(DataType.FLOAT64, true);
            NDArray xt = xd.transpose();
            NDArray w = tmp.zeros(new Shape(d, 1), DataType.FLOAT64);
            NDArray ridge = tmp.eye(d).toType(DataType.FLOAT64, false).muli(lambda);
            for (int i = 0; i < iterations; i++) {
                NDArray p = xd.matMul(w).getNDArrayInternal().sigmoid();
                NDArray grad = xt.matMul(p.sub(yd)).divi(n).addi(w.mul(lambda));
                NDArray curvature = p.mul(p.neg().addi(1)); // (N, 1)
                NDArray hessian = xt.mul(curvature.transpose()).matMul(xd).divi(n).addi(ridge);
                w = w.sub(hessian.inverse().matMul(grad));
            }
            NDArray out = w.toType(DataType.FLOAT32, true);
            out.attach(home);
            return out;
        }
    }

    /** w <- w - lr * dL/dw, then zero the gradient (libtorch accumulates gradients). */
    private static void applyGradient(NDArray w, float lr) {
        NDArray grad = w.getGradient();
        w.subi(grad.mul(lr));
        grad.subi(grad);
    }

    /**
     * The mean logistic loss from logits, in its stable form {@code max(z, 0) - z y + log(1 +
     * exp(-|z|))} (equal to {@code -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z))} without
     * overflow for large |z|).
     */
    private static NDArray logisticLoss(NDArray logits, NDArray target) {
        return Scalars.maximum(logits, 0)
                .sub(logits.mul(target))
                .add(logits.abs().neg().exp().add(1).log())
                .mean();
    }
}
