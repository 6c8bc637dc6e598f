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
        // TODO(hw3-2): 數出 TP、FP、FN、TN，再依上面的公式計算；分母為 0 時該比值為 0 / count TP, FP, FN and TN, then apply the formulas above; a ratio with a zero denominator is 0
        throw new UnsupportedOperationException("TODO(hw3-2): count TP, FP, FN and TN, then apply the formulas above; a ratio with a zero denominator is 0");
    }
}
