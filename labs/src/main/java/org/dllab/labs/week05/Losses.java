package org.dllab.labs.week05;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.function.BiFunction;
import org.dllab.core.Scalars;

/**
 * Loss functions written from their formulas, each a few NDArray operations. Regression losses take
 * predictions and targets of the same shape; classification losses take logits {@code (N, K)} and
 * integer labels {@code (N)} (or, for binary cross-entropy, logits and 0/1 targets of the same
 * shape). All return the mean over examples.
 *
 * <p>Numerical stability is the lesson of {@link #logSoftmax}: subtract the row maximum before
 * exponentiating, so that {@code exp} never overflows, and never compute {@code log(softmax)} in
 * two steps.
 */
public final class Losses {

    private Losses() {}

    /**
     * Mean squared error {@code mean((p - t)^2)}.
     *
     * @param pred predictions
     * @param target targets
     * @return scalar
     */
    public static NDArray mse(NDArray pred, NDArray target) {
        return pred.sub(target).square().mean();
    }

    /**
     * Mean absolute error {@code mean(|p - t|)}: robust to outliers, gradient of constant size.
     *
     * @param pred predictions
     * @param target targets
     * @return scalar
     */
    public static NDArray mae(NDArray pred, NDArray target) {
        return pred.sub(target).abs().mean();
    }

    /**
     * Huber loss: quadratic for {@code |r| <= delta}, linear beyond ({@code delta (|r| -
     * delta/2)}).
     *
     * @param pred predictions
     * @param target targets
     * @param delta the switch point
     * @return scalar
     */
    public static NDArray huber(NDArray pred, NDArray target, float delta) {
        NDArray r = pred.sub(target).abs();
        NDArray quadratic = Scalars.mul(r.square(), 0.5); // not .mul(float): see Scalars
        NDArray linear = Scalars.mul(r.sub(delta / 2), delta);
        return NDArrays.where(r.lte(delta), quadratic, linear).mean();
    }

    /**
     * Binary cross-entropy from logits, stable: {@code max(z, 0) - z y + log(1 + exp(-|z|))} (equal
     * to {@code -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z))} without overflow).
     *
     * @param logits z
     * @param target y in [0, 1]
     * @return scalar
     */
    public static NDArray binaryCrossEntropyWithLogits(NDArray logits, NDArray target) {
        return Scalars.maximum(logits, 0)
                .sub(logits.mul(target))
                .add(logits.abs().neg().exp().add(1).log())
                .mean();
    }

    /**
     * Log-softmax along the last axis, stable: {@code z - max(z) - log(sum(exp(z - max(z))))}.
     *
     * @param logits (N, K)
     * @return (N, K)
     */
    public static NDArray logSoftmax(NDArray logits) {
        NDArray shifted = logits.sub(logits.max(new int[] {-1}, true));
        return shifted.sub(shifted.exp().sum(new int[] {-1}, true).log());
    }

    /**
     * Softmax the textbook way, {@code exp(z) / sum(exp(z))}: overflows for logits above ~88
     * (float32).
     *
     * @param logits (N, K)
     * @return (N, K), NaN where exp overflowed
     */
    public static NDArray naiveSoftmax(NDArray logits) {
        NDArray e = logits.exp();
        return e.div(e.sum(new int[] {-1}, true));
    }

    /**
     * Softmax through {@link #logSoftmax}: never overflows.
     *
     * @param logits (N, K)
     * @return (N, K)
     */
    public static NDArray stableSoftmax(NDArray logits) {
        return logSoftmax(logits).exp();
    }

    /**
     * Categorical cross-entropy from logits, {@code mean(-log softmax(z)[y])}.
     *
     * @param logits (N, K)
     * @param labels (N) integer classes
     * @return scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return labelSmoothedCrossEntropy(logits, labels, 0f);
    }

    /**
     * Cross-entropy against smoothed targets: {@code 1 - eps} on the true class plus {@code eps /
     * K} spread over all classes, i.e. {@code (1 - eps) CE + eps * mean_k(-log p_k)}. Discourages
     * over-confident logits.
     *
     * @param logits (N, K)
     * @param labels (N)
     * @param epsilon smoothing, 0 for plain cross-entropy
     * @return scalar
     */
    public static NDArray labelSmoothedCrossEntropy(NDArray logits, NDArray labels, float epsilon) {
        int k = (int) logits.getShape().tail();
        NDArray logp = logSoftmax(logits);
        NDArray target =
                labels.oneHot(k)
                        .toType(logp.getDataType(), false)
                        .mul(1 - epsilon)
                        .add(epsilon / k);
        return logp.mul(target).sum(new int[] {-1}).neg().mean();
    }

    /**
     * Kullback-Leibler divergence {@code KL(p || q) = sum p log(p / q)} of distributions along the
     * last axis, averaged over rows. Zero iff p = q; equals cross-entropy minus entropy. Terms with
     * p = 0 count 0.
     *
     * @param p (N, K) probabilities
     * @param q (N, K) probabilities, positive where p is
     * @return scalar
     */
    public static NDArray klDivergence(NDArray p, NDArray q) {
        NDArray terms = p.mul(p.log().sub(q.log()));
        return NDArrays.where(p.gt(0), terms, p.zerosLike()).sum(new int[] {-1}).mean();
    }

    /**
     * Entropy in nats of distributions along the last axis, averaged over rows.
     *
     * @param p (N, K)
     * @return scalar
     */
    public static NDArray entropy(NDArray p) {
        NDArray terms = p.mul(p.log()).neg();
        return NDArrays.where(p.gt(0), terms, p.zerosLike()).sum(new int[] {-1}).mean();
    }

    /**
     * A DJL {@link Loss} around one of these functions, so a {@code Trainer} can train with it.
     *
     * @param name the name shown in metrics
     * @param fn (labels, predictions) to scalar
     * @return the loss
     */
    public static Loss asDjlLoss(String name, BiFunction<NDArray, NDArray, NDArray> fn) {
        return new Loss(name) {
            @Override
            public NDArray evaluate(NDList labels, NDList predictions) {
                return fn.apply(labels.singletonOrThrow(), predictions.singletonOrThrow());
            }
        };
    }
}
