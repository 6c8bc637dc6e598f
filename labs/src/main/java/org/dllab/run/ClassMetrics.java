package org.dllab.run;

import java.util.Arrays;

/**
 * What a classifier did on a labelled set, from its confusion matrix: accuracy, and per-class and
 * macro-averaged F1 (as scikit-learn's {@code f1_score(average="macro")}: the unweighted mean of
 * the classes' F1, so the minority class counts as much as the majority). On waimai_10k (1 positive
 * : 2 negative) a model that says "negative" to everything scores 66.7 % accuracy but a macro-F1 of
 * 40 %.
 *
 * @param confusion {@code confusion[true][predicted]} counts
 * @param accuracy share predicted right
 * @param f1 per class: 2·TP / (2·TP + FP + FN), 0 for a class neither present nor predicted
 * @param macroF1 the mean of {@code f1}
 * @param precision per class: TP / (TP + FP), 0 when never predicted
 * @param recall per class: TP / (TP + FN), 0 when absent
 */
public record ClassMetrics(
        int[][] confusion,
        double accuracy,
        double[] f1,
        double macroF1,
        double[] precision,
        double[] recall) {

    /**
     * Computes the metrics.
     *
     * @param confusion a square matrix of counts, rows = true class
     * @return the metrics
     */
    public static ClassMetrics of(int[][] confusion) {
        int k = confusion.length;
        long total = 0;
        long right = 0;
        double[] f1 = new double[k];
        double[] precision = new double[k];
        double[] recall = new double[k];
        for (int c = 0; c < k; c++) {
            if (confusion[c].length != k) {
                throw new IllegalArgumentException(
                        "the confusion matrix is not square: row "
                                + c
                                + " has "
                                + confusion[c].length);
            }
            long tp = confusion[c][c];
            long fn = Arrays.stream(confusion[c]).sum() - tp;
            long fp = 0;
            for (int r = 0; r < k; r++) {
                fp += r == c ? 0 : confusion[r][c];
            }
            total += Arrays.stream(confusion[c]).sum();
            right += tp;
            f1[c] = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            precision[c] = tp == 0 ? 0 : tp / (double) (tp + fp);
            recall[c] = tp == 0 ? 0 : tp / (double) (tp + fn);
        }
        return new ClassMetrics(
                confusion,
                total == 0 ? 0 : right / (double) total,
                f1,
                Arrays.stream(f1).average().orElse(0),
                precision,
                recall);
    }
}
