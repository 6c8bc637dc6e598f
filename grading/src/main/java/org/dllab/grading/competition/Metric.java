package org.dllab.grading.competition;

import java.util.Locale;

/** How a competition scores a submission, and what a submission holds. */
public enum Metric {
    /** Share of test examples labelled right; the submission has a label per id. */
    ACCURACY(true, Kind.LABEL),
    /** Unweighted mean of the classes' F1; a label per id. */
    MACRO_F1(true, Kind.LABEL),
    /** F1 of the positive class (binary, e.g. disaster tweets); a label per id. */
    F1(true, Kind.LABEL),
    /**
     * Multi-class log-loss (e.g. dog breeds); a probability per class per id, each row summing to
     * 1.
     */
    LOG_LOSS(false, Kind.CLASS_PROBABILITIES),
    /** Binary ROC-AUC; the probability of the positive class per id. */
    ROC_AUC(true, Kind.POSITIVE_PROBABILITY),
    /**
     * Multi-label mean column-wise ROC-AUC (e.g. plant pathology); a probability per label per id,
     * each in [0, 1].
     */
    MEAN_ROC_AUC(true, Kind.LABEL_PROBABILITIES);

    /** What a submission's row holds besides the id. */
    public enum Kind {
        /** One column {@code label}: a class name. */
        LABEL,
        /** One column per class: probabilities summing to 1. */
        CLASS_PROBABILITIES,
        /** One column {@code probability}: of the positive class. */
        POSITIVE_PROBABILITY,
        /** One column per label: independent probabilities. */
        LABEL_PROBABILITIES
    }

    private final boolean higherIsBetter;
    private final Kind kind;

    Metric(boolean higherIsBetter, Kind kind) {
        this.higherIsBetter = higherIsBetter;
        this.kind = kind;
    }

    /**
     * Whether a higher score ranks first.
     *
     * @return false for a loss
     */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * What a submission holds.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The metric's command-line name.
     *
     * @return e.g. {@code log-loss}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a command-line name.
     *
     * @param name e.g. {@code log-loss}
     * @return the metric
     */
    public static Metric parse(String name) {
        for (Metric m : values()) {
            if (m.cliName().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown metric '"
                        + name
                        + "'; one of accuracy, macro-f1, f1, log-loss, roc-auc, mean-roc-auc");
    }
}
