package org.dllab.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded train/validation split that keeps each class's share in both parts (as scikit-learn's
 * {@code train_test_split(stratify=y)}): each class's examples are shuffled with the seed and the
 * given share of them, rounded, goes to validation (at least one when the class has two or more
 * examples).
 */
public final class StratifiedSplit {

    private StratifiedSplit() {}

    /**
     * Splits example indices.
     *
     * @param labels the class of each example
     * @param validationFraction the share held out, in (0, 1)
     * @param seed the seed
     * @return {training indices, validation indices}, each sorted
     */
    public static int[][] split(int[] labels, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "the validation fraction must be in (0, 1), got " + validationFraction);
        }
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            int[] order = ImageSet.permutation(members.size(), seed + 31L * c);
            int held =
                    members.size() < 2
                            ? 0
                            : Math.max(1, (int) Math.round(validationFraction * members.size()));
            for (int k = 0; k < order.length; k++) {
                (k < held ? validation : train).add(members.get(order[k]));
            }
        }
        return new int[][] {
            train.stream().mapToInt(Integer::intValue).sorted().toArray(),
            validation.stream().mapToInt(Integer::intValue).sorted().toArray()
        };
    }
}
