package org.dllab.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a table's cells into numbers a network can read, with every choice learnt from the training
 * rows only (so the validation and test rows do not leak into it):
 *
 * <ul>
 *   <li>a column whose every present cell is a number is <b>numeric</b>: standardised with the
 *       training mean and standard deviation; a missing cell becomes the mean (0 after
 *       standardising) and, when the column has missing cells, a 0/1 "was missing" column is added;
 *   <li>any other column is <b>categorical</b>: one 0/1 column per value seen in training (the most
 *       frequent {@code maxCategories}; rarer ones, values never seen and missing cells share an
 *       "other" column).
 * </ul>
 *
 * Missing cells: empty, {@code NA}, {@code N/A}, {@code NaN}, {@code null}, {@code ?}.
 */
public final class TabularEncoder {

    /** The cell texts read as missing. */
    public static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "?");

    private record Column(
            String name,
            boolean numeric,
            double mean,
            double std,
            boolean missingFlag,
            List<String> categories) {
        int width() {
            return numeric ? (missingFlag ? 2 : 1) : categories.size() + 1;
        }
    }

    private final List<Column> columns;

    private TabularEncoder(List<Column> columns) {
        this.columns = columns;
    }

    /**
     * Learns the encoding from the training rows.
     *
     * @param table the table
     * @param rows the training rows' indices
     * @param maxCategories at most this many one-hot columns per categorical column (the rest:
     *     "other")
     * @return the encoder
     */
    public static TabularEncoder fit(TabularCsv.Table table, int[] rows, int maxCategories) {
        List<Column> out = new ArrayList<>();
        for (int c = 0; c < table.columns().size(); c++) {
            boolean numeric = true;
            int present = 0;
            int missing = 0;
            double sum = 0;
            double squares = 0;
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int r : rows) {
                String cell = table.cells().get(r)[c];
                if (isMissing(cell)) {
                    missing++;
                    continue;
                }
                counts.merge(cell, 1, Integer::sum);
                Double v = number(cell);
                if (v == null) {
                    numeric = false;
                } else {
                    present++;
                    sum += v;
                    squares += v * v;
                }
            }
            String name = table.columns().get(c);
            if (numeric && present > 0) {
                double mean = sum / present;
                double std = Math.sqrt(Math.max(0, squares / present - mean * mean));
                out.add(
                        new Column(
                                name, true, mean, std > 1e-12 ? std : 1, missing > 0, List.of()));
            } else {
                List<String> kept =
                        counts.entrySet().stream()
                                .sorted(
                                        Map.Entry.<String, Integer>comparingByValue()
                                                .reversed()
                                                .thenComparing(Map.Entry.comparingByKey()))
                                .limit(maxCategories)
                                .map(Map.Entry::getKey)
                                .sorted(Comparator.naturalOrder())
                                .toList();
                out.add(new Column(name, false, 0, 1, false, kept));
            }
        }
        return new TabularEncoder(out);
    }

    /**
     * Encodes rows of a table with the same feature columns (the test file: the label column may be
     * absent).
     *
     * @param table the table
     * @param rows the rows' indices
     * @return {@code [row][feature]}
     * @throws IOException when the table lacks a column the encoder was fitted on
     */
    public float[][] transform(TabularCsv.Table table, int[] rows) throws IOException {
        int[] at = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            at[c] = table.columns().indexOf(columns.get(c).name());
            if (at[c] < 0) {
                throw new IOException(
                        table.file()
                                + ":1: no column '"
                                + columns.get(c).name()
                                + "' (the training file has it); the columns are "
                                + table.columns());
            }
        }
        float[][] x = new float[rows.length][width()];
        for (int i = 0; i < rows.length; i++) {
            String[] cells = table.cells().get(rows[i]);
            int k = 0;
            for (int c = 0; c < columns.size(); c++) {
                Column col = columns.get(c);
                String cell = cells[at[c]];
                if (col.numeric()) {
                    Double v = isMissing(cell) ? null : number(cell);
                    if (v == null && !isMissing(cell)) {
                        throw new IOException(
                                table.file()
                                        + ":"
                                        + table.lines().get(rows[i])
                                        + ": '"
                                        + cell
                                        + "' in the numeric column '"
                                        + col.name()
                                        + "' is not a number");
                    }
                    x[i][k] = v == null ? 0f : (float) ((v - col.mean()) / col.std());
                    if (col.missingFlag()) {
                        x[i][k + 1] = v == null ? 1f : 0f;
                    }
                } else {
                    int j = isMissing(cell) ? -1 : col.categories().indexOf(cell);
                    x[i][k + (j < 0 ? col.categories().size() : j)] = 1f;
                }
                k += col.width();
            }
        }
        return x;
    }

    /**
     * Number of encoded features.
     *
     * @return the width of {@link #transform}'s rows
     */
    public int width() {
        return columns.stream().mapToInt(Column::width).sum();
    }

    /**
     * What was decided, for the run's log.
     *
     * @return e.g. {@code 3 numeric columns (1 with missing cells), 2 categorical (7 values) -> 13
     *     features}
     */
    public String describe() {
        long numeric = columns.stream().filter(Column::numeric).count();
        long withMissing = columns.stream().filter(Column::missingFlag).count();
        int values =
                columns.stream()
                        .filter(c -> !c.numeric())
                        .mapToInt(c -> c.categories().size())
                        .sum();
        return String.format(
                Locale.ROOT,
                "%d numeric column(s) (%d with missing cells), %d categorical (%d values) -> %d features",
                numeric,
                withMissing,
                columns.size() - numeric,
                values,
                width());
    }

    static boolean isMissing(String cell) {
        return cell == null || MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    private static Double number(String cell) {
        try {
            double v = Double.parseDouble(cell.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
