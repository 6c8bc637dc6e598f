package org.dllab.grading.competition;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;

/**
 * A group's {@code submission.csv}, checked against the competition before it is scored: the header
 * ({@code id,label}; {@code id,probability}; or {@code id} and one column per class or label, in
 * any order), one row per test id and no other, a known class in a label column, finite
 * probabilities in [0, 1], and each row of class probabilities summing to 1 (within 0.001). Every
 * problem names its line (the header is line 1).
 *
 * <p>One file serves every single-label competition: class probabilities ({@code id} and one column
 * per class, what the project templates write) are also accepted where a label is scored (the most
 * probable class, the first on ties) and where the positive class's probability is (its column).
 *
 * @param labels id to predicted class (label metrics), else empty
 * @param probabilities id to probabilities in the competition's class order (or the positive
 *     class's alone), else empty
 */
public record Submission(Map<String, String> labels, Map<String, double[]> probabilities) {

    /** Problems listed before the rest are counted. */
    private static final int MAX_PROBLEMS = 20;

    /**
     * Reads and checks a submission.
     *
     * @param csv the file
     * @param competition the competition (its kit is enough)
     * @return the predictions
     * @throws IOException when the file cannot be read
     * @throws SubmissionException listing what is wrong, line by line
     */
    public static Submission read(Path csv, Competition competition) throws IOException {
        String file = csv.getFileName().toString();
        List<CSVRecord> rows;
        try {
            rows = Competition.rows(csv);
        } catch (IOException e) {
            throw new SubmissionException(file, List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        CSVRecord head = rows.get(0);
        List<String> header = new ArrayList<>();
        head.forEach(h -> header.add(h.replace("\uFEFF", "").trim()));
        Metric.Kind kind = competition.metric().kind();
        boolean classColumns =
                header.size() == competition.classes().size() + 1
                        && header.subList(1, header.size()).containsAll(competition.classes());
        Metric.Kind scored = kind;
        if (classColumns
                && (kind == Metric.Kind.LABEL || kind == Metric.Kind.POSITIVE_PROBABILITY)) {
            kind =
                    Metric.Kind
                            .CLASS_PROBABILITIES; // read as probabilities, then reduced to what is
            // scored
        }
        List<String> expected =
                switch (kind) {
                    case LABEL -> List.of("label");
                    case POSITIVE_PROBABILITY -> List.of("probability");
                    default -> competition.classes();
                };
        int[] columnOf = new int[expected.size()];
        if (header.isEmpty() || !header.get(0).equalsIgnoreCase("id")) {
            problems.add(
                    "line 1: the first column must be 'id', found '"
                            + (header.isEmpty() ? "" : header.get(0))
                            + "'");
        }
        for (int e = 0; e < expected.size(); e++) {
            columnOf[e] = header.indexOf(expected.get(e));
            if (columnOf[e] < 1) {
                problems.add(
                        "line 1: no column '"
                                + expected.get(e)
                                + "' (expected id,"
                                + String.join(",", expected)
                                + ")");
            }
        }
        if (header.size() != expected.size() + 1) {
            problems.add(
                    "line 1: "
                            + header.size()
                            + " columns, expected "
                            + (expected.size() + 1)
                            + ": id,"
                            + String.join(",", expected));
        }
        if (!problems.isEmpty()) {
            throw new SubmissionException(file, problems);
        }
        Set<String> ids = Set.copyOf(competition.ids());
        Map<String, Long> seen = new HashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, double[]> probabilities = new LinkedHashMap<>();
        for (CSVRecord r : rows.subList(1, rows.size())) {
            String at = "line " + r.getRecordNumber() + ": ";
            if (problems.size() >= MAX_PROBLEMS) {
                problems.add("... (more problems not listed)");
                break;
            }
            if (r.size() != header.size()) {
                problems.add(at + r.size() + " columns, the header has " + header.size());
                continue;
            }
            String id = r.get(0).trim();
            if (!ids.contains(id)) {
                problems.add(at + "'" + id + "' is not a test id");
                continue;
            }
            Long before = seen.put(id, r.getRecordNumber());
            if (before != null) {
                problems.add(at + "id '" + id + "' already on line " + before);
                continue;
            }
            if (kind == Metric.Kind.LABEL) {
                String label = r.get(columnOf[0]).trim();
                if (!competition.classes().contains(label)) {
                    problems.add(
                            at
                                    + "label '"
                                    + label
                                    + "' is not a class ("
                                    + String.join(", ", competition.classes())
                                    + ")");
                }
                labels.put(id, label);
                continue;
            }
            double[] p = new double[expected.size()];
            boolean ok = true;
            for (int e = 0; e < p.length; e++) {
                String v = r.get(columnOf[e]).trim();
                try {
                    p[e] = Double.parseDouble(v);
                } catch (NumberFormatException notNumber) {
                    p[e] = Double.NaN;
                }
                if (!(p[e] >= 0 && p[e] <= 1)) {
                    problems.add(
                            at
                                    + "'"
                                    + expected.get(e)
                                    + "' = '"
                                    + v
                                    + "' is not a probability in [0, 1]");
                    ok = false;
                }
            }
            if (ok && kind == Metric.Kind.CLASS_PROBABILITIES) {
                double sum = java.util.Arrays.stream(p).sum();
                if (Math.abs(sum - 1) > 1e-3) {
                    problems.add(
                            at
                                    + String.format(
                                            java.util.Locale.ROOT,
                                            "the class probabilities sum to %.4f, not 1",
                                            sum));
                }
            }
            probabilities.put(id, p);
        }
        int missing = ids.size() - seen.size();
        if (missing > 0 && problems.size() < MAX_PROBLEMS) {
            List<String> some =
                    competition.ids().stream().filter(i -> !seen.containsKey(i)).limit(3).toList();
            problems.add(missing + " test id(s) have no row, e.g. " + String.join(", ", some));
        }
        if (!problems.isEmpty()) {
            throw new SubmissionException(file, problems);
        }
        if (scored == Metric.Kind.LABEL && kind == Metric.Kind.CLASS_PROBABILITIES) {
            probabilities.forEach(
                    (id, p) -> {
                        int best = 0;
                        for (int c = 1; c < p.length; c++) {
                            best = p[c] > p[best] ? c : best;
                        }
                        labels.put(id, competition.classes().get(best));
                    });
            return new Submission(labels, Map.of());
        }
        if (scored == Metric.Kind.POSITIVE_PROBABILITY && kind == Metric.Kind.CLASS_PROBABILITIES) {
            int positive = competition.classes().indexOf(competition.positive());
            Map<String, double[]> ofPositive = new LinkedHashMap<>();
            probabilities.forEach((id, p) -> ofPositive.put(id, new double[] {p[positive]}));
            return new Submission(Map.of(), ofPositive);
        }
        return new Submission(labels, probabilities);
    }
}
