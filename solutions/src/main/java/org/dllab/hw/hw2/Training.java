package org.dllab.hw.hw2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import java.io.IOException;

/** The training and validation loops, written out (no EasyTrain), and the accuracy metric. */
public final class Training {

    private Training() {}

    /**
     * One epoch of training: for every batch, forward, loss, backward, optimizer step.
     *
     * @param trainer a trainer with its loss and optimizer
     * @param data the training data
     * @return the mean training loss of the epoch
     * @throws IOException when a batch cannot be read
     * @throws TranslateException when a batch cannot be built
     */
    public static double trainEpoch(Trainer trainer, ArrayDataset data) throws IOException, TranslateException {
        double lossSum = 0;
        long batches = 0;
        try (NDManager epoch = trainer.getManager().newSubManager()) {
            for (Batch batch : data.getData(epoch)) {
                try (batch) {
                    // BEGIN SOLUTION 在 GradientCollector 內做前向與計算損失、反向傳播，然後 trainer.step()；累加損失 | inside a GradientCollector: forward, loss, backward; then trainer.step(); add up the loss
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(batch.getData());
                        NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                        gc.backward(loss);
                        lossSum += loss.getFloat();
                    }
                    trainer.step();
                    batches++;
                    // END SOLUTION
                }
            }
        }
        return batches == 0 ? Double.NaN : lossSum / batches;
    }

    /**
     * Accuracy on a dataset, with the network in evaluation mode (no dropout, no gradients).
     *
     * @param trainer the trainer
     * @param data the validation or test data
     * @return the fraction of correct predictions
     * @throws IOException when a batch cannot be read
     * @throws TranslateException when a batch cannot be built
     */
    public static double evaluate(Trainer trainer, ArrayDataset data) throws IOException, TranslateException {
        long correct = 0;
        long total = 0;
        try (NDManager pass = trainer.getManager().newSubManager()) {
            for (Batch batch : data.getData(pass)) {
                try (batch) {
                    // BEGIN SOLUTION 用 trainer.evaluate（評估模式）取得 logits，累計答對數與總數 | get the logits with trainer.evaluate (evaluation mode), count correct and total
                    NDArray logits = trainer.evaluate(batch.getData()).singletonOrThrow();
                    NDArray labels = batch.getLabels().singletonOrThrow();
                    correct += Math.round(accuracy(logits, labels) * labels.getShape().get(0));
                    total += labels.getShape().get(0);
                    // END SOLUTION
                }
            }
        }
        return total == 0 ? Double.NaN : correct / (double) total;
    }

    /**
     * The fraction of rows whose largest logit is at the label.
     *
     * @param logits (N, classes)
     * @param labels (N) int64
     * @return accuracy in [0, 1]
     */
    public static double accuracy(NDArray logits, NDArray labels) {
        return logits.argMax(1).eq(labels).sum().getLong() / (double) labels.getShape().get(0); // SOLUTION argMax 後與標籤比較，答對的比例 | argMax, compare with the labels, the fraction that match
    }
}
