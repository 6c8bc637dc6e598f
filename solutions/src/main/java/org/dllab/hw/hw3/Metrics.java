package org.dllab.hw.hw3;

/**
 * Binary classification metrics, positive class = 1 (a positive review).
 *
 * <pre>
 *   precision = TP / (TP + FP)      of the reviews called positive, how many are
 *   recall    = TP / (TP + FN)      of the positive reviews, how many were found
 *   F1        = 2 P R / (P + R)     their harmonic mean
 * </pre>
 *
 * A ratio whose denominator is 0 is defined as 0 (as scikit-learn's {@code zero_division=0} does).
 *
 * @param accuracy the fraction predicted correctly
 * @param precision TP / (TP + FP)
 * @param recall TP / (TP + FN)
 * @param f1 the harmonic mean of precision and recall
 */
public record Metrics(double accuracy, double precision, double recall, double f1) {

    /**
     * Computes the four metrics.
     *
     * @param predicted predicted labels, 0 or 1
     * @param actual true labels, 0 or 1, as many
     * @return the metrics
     * @throws IllegalArgumentException when the lengths differ or there is nothing to measure
     */
    public static Metrics of(int[] predicted, int[] actual) {
        if (predicted.length != actual.length || actual.length == 0) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " labels");
        }
        // BEGIN SOLUTION 數出 TP、FP、FN、TN，再依上面的公式計算；分母為 0 時該比值為 0 | count TP, FP, FN and TN, then apply the formulas above; a ratio with a zero denominator is 0
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        for (int i = 0; i < actual.length; i++) {
            if (predicted[i] == 1 && actual[i] == 1) {
                tp++;
            } else if (predicted[i] == 1) {
                fp++;
            } else if (actual[i] == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Metrics((tp + tn) / (double) actual.length, precision, recall, f1);
        // END SOLUTION
    }
}
