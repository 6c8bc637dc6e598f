package org.dllab.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * What a final project prints about its validation set and hands in for its test set: accuracy, macro-F1, log-loss
 * and one-vs-rest ROC-AUC from the predicted probabilities, per-class precision/recall/F1, the confusion matrix and the
 * most confident mistakes; and the competition's {@code submission.csv} (id and one probability per class).
 */
public final class ClassificationReport {

    private ClassificationReport() {}

    /**
     * The validation report.
     *
     * @param classes the class names, in the probabilities' column order
     * @param truth each example's true class
     * @param probabilities {@code [example][class]}
     * @param mistakes how many of the most confident mistakes to list
     * @param name names example i (its id or file)
     * @param detail what follows the mistake's line (e.g. {@code ": " + text}), or ""
     * @return the report, one line per fact
     */
    public static String of(List<String> classes, int[] truth, double[][] probabilities, int mistakes, IntFunction<String> name, IntFunction<String> detail) {
        int k = classes.size();
        int[] predicted = new int[truth.length];
        int[][] confusion = new int[k][k];
        for (int i = 0; i < truth.length; i++) {
            predicted[i] = argMax(probabilities[i]);
            confusion[truth[i]][predicted[i]]++;
        }
        ClassMetrics metrics = ClassMetrics.of(confusion);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "validation: accuracy %.4f, macro-F1 %.4f, log-loss %.4f, ROC-AUC (one vs rest) %.4f%n", metrics.accuracy(), metrics.macroF1(),
                LogLoss.of(probabilities, truth), RocAuc.oneVsRest(probabilities, truth)));
        for (int c = 0; c < k; c++) {
            report.append(String.format(Locale.ROOT, "  %-12s precision %.3f  recall %.3f  F1 %.3f%n", classes.get(c), metrics.precision()[c],
                    metrics.recall()[c], metrics.f1()[c]));
        }
        report.append("confusion (rows: true, columns: predicted) ").append(classes).append('\n');
        for (int c = 0; c < k; c++) {
            report.append(String.format(Locale.ROOT, "  %-12s %s%n", classes.get(c), Arrays.toString(confusion[c])));
        }
        report.append("most confident mistakes:\n");
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] != truth[i]) {
                wrong.add(i);
            }
        }
        wrong.sort(Comparator.comparingDouble(i -> -probabilities[i][predicted[i]]));
        for (int i : wrong.subList(0, Math.min(mistakes, wrong.size()))) {
            report.append(String.format(Locale.ROOT, "  %s: %s, predicted %s (p %.2f)%s%n", name.apply(i), classes.get(truth[i]), classes.get(predicted[i]),
                    probabilities[i][predicted[i]], detail.apply(i)));
        }
        return report.toString();
    }

    /**
     * A competition submission of class probabilities.
     *
     * @param classes the class names (the header's columns after {@code id})
     * @param ids each test example's id
     * @param probabilities {@code [example][class]}
     * @return the CSV text
     */
    public static String submission(List<String> classes, List<String> ids, double[][] probabilities) {
        StringBuilder csv = new StringBuilder("id," + String.join(",", classes) + "\n");
        for (int i = 0; i < ids.size(); i++) {
            csv.append(ids.get(i));
            for (double v : probabilities[i]) {
                csv.append(String.format(Locale.ROOT, ",%.6f", v));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * The index of the largest value (the first on ties).
     *
     * @param v the values
     * @return its index
     */
    public static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }
}
