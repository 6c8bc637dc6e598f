package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;

/** The classification loss, written out rather than taken from DJL so that each step can be read. */
public final class Losses {

    private Losses() {}

    /**
     * Softmax cross-entropy: the mean over the batch of {@code -log softmax(logits)[label]}.
     *
     * @param logits (B, classes) raw scores, no softmax applied
     * @param labels (B) class indices
     * @return the scalar loss
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        int classes = (int) logits.getShape().get(1);
        // BUG loss-softmax
        // en: The loss takes raw logits and applies log-softmax once, over the class axis: a softmax applied before it squashes the scores (training slows to a crawl), and one over the batch axis compares examples instead of classes.
        // zh: 損失函數吃原始 logits，只沿類別軸做一次 log-softmax；先做過一次 softmax 會壓扁分數（訓練幾乎不動），沿批次軸做則是在比較樣本而不是類別。
        NDArray logProbabilities = logits.logSoftmax(1);
        // VARIANT double-softmax: softmax applied to logits that log-softmax then normalises again
        // > NDArray logProbabilities = logits.softmax(1).logSoftmax(1);
        // VARIANT batch-axis: log-softmax over the batch axis
        // > NDArray logProbabilities = logits.logSoftmax(0);
        // END BUG
        NDArray perExample = logProbabilities.mul(labels.oneHot(classes)).sum(new int[] {1}).neg();
        // BUG loss-reduction
        // en: The loss is the mean over the batch: a sum makes the gradient grow with the batch size (an effective learning rate 64 times too large), and a mean over every class entry divides it by the number of classes.
        // zh: 損失要對批次取平均；用加總時梯度隨批次大小變大（等於學習率大了 64 倍），對所有類別元素取平均則又多除了類別數。
        return perExample.mean();
        // VARIANT sum: the losses of the batch are added up
        // > return perExample.sum();
        // VARIANT over-classes: the mean runs over batch and class entries
        // > return logProbabilities.mul(labels.oneHot(classes)).neg().mean();
        // END BUG
    }
}
