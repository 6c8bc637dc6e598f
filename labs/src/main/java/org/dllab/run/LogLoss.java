package org.dllab.run;

/**
 * Multi-class logarithmic loss as Kaggle scores it (and scikit-learn's {@code log_loss}): each row
 * of probabilities rescaled to sum to 1, each probability clipped to [1e-15, 1 - 1e-15] so that one
 * confident mistake costs about 34.5 instead of infinity, and the mean of {@code -ln p(true
 * class)}.
 */
public final class LogLoss {

    /** The clip that keeps a 0 probability for the true class finite. */
    public static final double EPSILON = 1e-15;

    private LogLoss() {}

    /**
     * The loss.
     *
     * @param probabilities {@code [example][class]}, non-negative
     * @param labels the true class of each example
     * @return the mean negative log-probability of the true classes
     */
    public static double of(double[][] probabilities, int[] labels) {
        if (probabilities.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException(
                    probabilities.length
                            + " rows of probabilities for "
                            + labels.length
                            + " labels");
        }
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double total = 0;
            for (double p : probabilities[i]) {
                total += Math.min(Math.max(p, EPSILON), 1 - EPSILON);
            }
            double p =
                    Math.min(Math.max(probabilities[i][labels[i]], EPSILON), 1 - EPSILON) / total;
            sum -= Math.log(p);
        }
        return sum / labels.length;
    }
}
