package org.dllab.run;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Area under the ROC curve: the probability that a random positive example scores higher than a
 * random negative one (ties count half), computed from ranks (Mann–Whitney U) in O(n log n). The
 * same value as scikit-learn's {@code roc_auc_score}; the multi-class and multi-label forms average
 * it as {@code average="macro"} does.
 */
public final class RocAuc {

    private RocAuc() {}

    /**
     * Binary ROC-AUC.
     *
     * @param scores a score per example, higher meaning "positive"
     * @param positive whether each example is positive
     * @return the AUC in [0, 1]
     * @throws IllegalArgumentException when the lengths differ or only one class is present (the
     *     AUC is undefined)
     */
    public static double binary(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    scores.length + " scores for " + positive.length + " labels");
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSumOfPositives = 0;
        long positives = 0;
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank =
                    (i + j) / 2.0 + 1; // ranks from 1; a run of ties shares its mean rank
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumOfPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException(
                    "ROC-AUC needs positive and negative examples; got "
                            + positives
                            + " positive, "
                            + negatives
                            + " negative");
        }
        return (rankSumOfPositives - positives * (positives + 1) / 2.0)
                / ((double) positives * negatives);
    }

    /**
     * Multi-class ROC-AUC, one class against the rest, averaged over the classes present
     * (unweighted).
     *
     * @param probabilities {@code [example][class]}
     * @param labels the true class of each example
     * @return the mean AUC
     */
    public static double oneVsRest(double[][] probabilities, int[] labels) {
        int classes = probabilities[0].length;
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            int cls = c;
            boolean[] positive = new boolean[labels.length];
            boolean any = false;
            for (int i = 0; i < labels.length; i++) {
                positive[i] = labels[i] == cls;
                any |= positive[i];
            }
            if (any && labels.length > Arrays.stream(labels).filter(l -> l == cls).count()) {
                sum += binary(column(probabilities, c), positive);
                counted++;
            }
        }
        if (counted == 0) {
            throw new IllegalArgumentException("ROC-AUC needs at least two classes present");
        }
        return sum / counted;
    }

    /**
     * Multi-label ROC-AUC: each label's AUC, averaged over the labels (Kaggle's "mean column-wise
     * ROC AUC").
     *
     * @param probabilities {@code [example][label]}
     * @param truth {@code [example][label]}
     * @return the mean AUC
     */
    public static double meanColumnwise(double[][] probabilities, boolean[][] truth) {
        int labels = probabilities[0].length;
        double sum = 0;
        for (int c = 0; c < labels; c++) {
            boolean[] positive = new boolean[truth.length];
            for (int i = 0; i < truth.length; i++) {
                positive[i] = truth[i][c];
            }
            sum += binary(column(probabilities, c), positive);
        }
        return sum / labels;
    }

    private static double[] column(double[][] m, int c) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i][c];
        }
        return out;
    }
}
