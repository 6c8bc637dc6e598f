package org.dllab.run;

/**
 * What one epoch measured.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss
 * @param trainAccuracy training accuracy (on the fly, while the weights changed)
 * @param testLoss loss on the evaluation set
 * @param testAccuracy accuracy on the evaluation set
 * @param seconds wall time of the epoch (training and evaluation)
 * @param samplesPerSecond training examples per second
 * @param rssMegabytes resident memory of the process at the end of the epoch (-1 when unknown)
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double testLoss,
        double testAccuracy,
        double seconds,
        double samplesPerSecond,
        double rssMegabytes) {}
