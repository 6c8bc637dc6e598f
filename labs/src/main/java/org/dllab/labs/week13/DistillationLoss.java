package org.dllab.labs.week13;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import org.dllab.core.Scalars;

/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015): the student learns from the labels and
 * from the teacher's softened probabilities,
 *
 * <pre>
 *   loss = alpha * CE(y, s) + (1 - alpha) * T^2 * KL(softmax(t / T) || softmax(s / T))
 * </pre>
 *
 * The T^2 keeps the soft term's gradient the same size whatever the temperature. Labels come as an
 * {@link NDList} of (class indices, teacher logits).
 */
public final class DistillationLoss extends Loss {

    private final float temperature;
    private final float alpha;

    /**
     * Creates the loss.
     *
     * @param temperature T, above 1 to soften (4 is common)
     * @param alpha the weight of the hard-label term
     */
    public DistillationLoss(float temperature, float alpha) {
        super("DistillationLoss");
        this.temperature = temperature;
        this.alpha = alpha;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray student = predictions.singletonOrThrow();
        NDArray classes = labels.get(0);
        NDArray teacher = labels.get(1);
        NDArray logP = student.logSoftmax(1);
        NDArray hard =
                logP.mul(classes.oneHot(10).toType(logP.getDataType(), false))
                        .sum(new int[] {1})
                        .neg()
                        .mean();
        NDArray softTeacher = Scalars.div(teacher, temperature).softmax(1);
        NDArray logSoftStudent = Scalars.div(student, temperature).logSoftmax(1);
        NDArray kl =
                softTeacher
                        .mul(softTeacher.add(1e-12f).log().sub(logSoftStudent))
                        .sum(new int[] {1})
                        .mean();
        return Scalars.mul(hard, alpha)
                .add(Scalars.mul(kl, (1 - alpha) * temperature * temperature));
    }
}
