package org.dllab.grading.competition;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dllab.data.ImageSet;
import org.dllab.run.ClassMetrics;
import org.dllab.run.LogLoss;
import org.dllab.run.RocAuc;

/**
 * A course competition: the test ids, their hidden labels, the metric, and a seeded split of the
 * ids into a public part (scored on the leaderboard during the course) and a private part (the
 * final ranking). The instructor's folder holds {@code competition.json} with the labels; the kit
 * for groups ({@link #kit()}) has the same file without them.
 *
 * @param metric how submissions are scored
 * @param classes the class names (sorted), or the label names of a multi-label competition, in
 *     column order
 * @param positive the positive class of F1 and ROC-AUC (else null)
 * @param ids every test id, in the labels file's order
 * @param publicIds the ids of the public part
 * @param seed the split's seed
 * @param publicFraction the public part's share
 * @param labels id to its class (one element) or, multi-label, its positive labels; null in a kit
 */
public record Competition(
        Metric metric,
        List<String> classes,
        String positive,
        List<String> ids,
        List<String> publicIds,
        long seed,
        double publicFraction,
        Map<String, List<String>> labels) {

    /** The competition's file in its folder. */
    public static final String FILE = "competition.json";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** Which ids a score covers. */
    public enum Part {
        /** The public part: the leaderboard during the course. */
        PUBLIC,
        /** The private part: the final ranking. */
        PRIVATE,
        /** Every id. */
        ALL
    }

    /**
     * Creates a competition from the hidden labels: {@code id,label} for a single-label metric;
     * {@code id,<label>,...} with 0/1 per label for {@link Metric#MEAN_ROC_AUC}.
     *
     * @param labelsCsv the hidden labels
     * @param metric the metric
     * @param publicFraction share of ids on the public leaderboard, in (0, 1)
     * @param seed the split's seed
     * @param positive the positive class for F1 / ROC-AUC, or null for the second class in sorted
     *     order
     * @return the competition
     * @throws IOException when the file cannot be read or is malformed (naming the line)
     */
    public static Competition create(
            Path labelsCsv, Metric metric, double publicFraction, long seed, String positive)
            throws IOException {
        if (!(publicFraction > 0 && publicFraction < 1)) {
            throw new IllegalArgumentException(
                    "--public-fraction must be between 0 and 1, got " + publicFraction);
        }
        List<CSVRecord> rows = rows(labelsCsv);
        CSVRecord head = rows.get(0);
        if (!head.get(0).replace("\uFEFF", "").trim().equalsIgnoreCase("id")) {
            throw new IOException(
                    labelsCsv.getFileName()
                            + ":1: the first column must be 'id', found '"
                            + head.get(0)
                            + "'");
        }
        boolean multiLabel = metric.kind() == Metric.Kind.LABEL_PROBABILITIES;
        if (!multiLabel && head.size() != 2) {
            throw new IOException(
                    labelsCsv.getFileName()
                            + ":1: expected two columns 'id,label' for "
                            + metric.cliName()
                            + ", found "
                            + head.size());
        }
        Map<String, List<String>> labels = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int c = 1; c < head.size(); c++) {
            names.add(head.get(c).trim());
        }
        List<String> problems = new ArrayList<>();
        for (CSVRecord r : rows.subList(1, rows.size())) {
            String where = labelsCsv.getFileName() + ":" + r.getRecordNumber() + ": ";
            if (r.size() != head.size()) {
                problems.add(where + r.size() + " columns, the header has " + head.size());
                continue;
            }
            String id = r.get(0).trim();
            List<String> value = new ArrayList<>();
            if (multiLabel) {
                for (int c = 1; c < r.size(); c++) {
                    if (!r.get(c).trim().equals("0") && !r.get(c).trim().equals("1")) {
                        problems.add(
                                where
                                        + "label '"
                                        + names.get(c - 1)
                                        + "' must be 0 or 1, found '"
                                        + r.get(c)
                                        + "'");
                    } else if (r.get(c).trim().equals("1")) {
                        value.add(names.get(c - 1));
                    }
                }
            } else if (r.get(1).isBlank()) {
                problems.add(where + "no label");
            } else {
                value.add(r.get(1).trim());
            }
            if (id.isEmpty() || labels.put(id, value) != null) {
                problems.add(where + (id.isEmpty() ? "no id" : "id '" + id + "' appears twice"));
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(
                    "the labels file has "
                            + problems.size()
                            + " problem(s):\n  "
                            + String.join(
                                    "\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
        List<String> classes =
                multiLabel
                        ? names
                        : new ArrayList<>(
                                new TreeSet<>(
                                        labels.values().stream().map(l -> l.get(0)).toList()));
        if (classes.size() < 2) {
            throw new IOException(
                    labelsCsv.getFileName()
                            + ": a competition needs at least two classes, found "
                            + classes);
        }
        boolean binary = metric == Metric.F1 || metric == Metric.ROC_AUC;
        if (binary && classes.size() != 2) {
            throw new IOException(
                    metric.cliName()
                            + " is for two classes; the labels have "
                            + classes.size()
                            + ": "
                            + classes);
        }
        String pos = !binary ? null : positive != null ? positive : classes.get(1);
        if (binary && !classes.contains(pos)) {
            throw new IllegalArgumentException(
                    "--positive '" + pos + "' is not one of the classes " + classes);
        }
        List<String> ids = List.copyOf(labels.keySet());
        int[] order = ImageSet.permutation(ids.size(), seed);
        int publicCount = (int) Math.round(publicFraction * ids.size());
        List<String> publicIds = new ArrayList<>();
        for (int i = 0; i < publicCount; i++) {
            publicIds.add(ids.get(order[i]));
        }
        return new Competition(
                metric,
                List.copyOf(classes),
                pos,
                ids,
                List.copyOf(publicIds),
                seed,
                publicFraction,
                labels);
    }

    static List<CSVRecord> rows(Path csv) throws IOException {
        if (Files.size(csv) > 64L << 20) {
            throw new IOException(csv + " is larger than 64 MB");
        }
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<CSVRecord> rows =
                    CSVFormat.DEFAULT
                            .builder()
                            .setIgnoreEmptyLines(true)
                            .get()
                            .parse(r)
                            .getRecords();
            if (rows.isEmpty()) {
                throw new IOException(csv.getFileName() + " is empty");
            }
            return rows;
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new IOException(csv.getFileName() + " is not valid CSV: " + e.getMessage(), e);
        }
    }

    /**
     * The same competition without its labels: what groups get to check their submissions.
     *
     * @return the kit
     */
    public Competition kit() {
        return new Competition(
                metric, classes, positive, ids, publicIds, seed, publicFraction, null);
    }

    /**
     * Whether the labels are here (the instructor's folder) or not (a group's kit).
     *
     * @return true with labels
     */
    public boolean canScore() {
        return labels != null;
    }

    /**
     * Writes {@code competition.json} into a folder.
     *
     * @param dir the folder
     * @throws IOException when it cannot be written
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FILE), GSON.toJson(this), StandardCharsets.UTF_8);
    }

    /**
     * Reads a competition folder.
     *
     * @param dir the folder (or its competition.json)
     * @return the competition
     * @throws IOException when it is not a competition
     */
    public static Competition read(Path dir) throws IOException {
        Path f = Files.isDirectory(dir) ? dir.resolve(FILE) : dir;
        if (!Files.isRegularFile(f)) {
            throw new IOException(
                    dir
                            + " is not a competition folder (no "
                            + FILE
                            + "): create one with 'dllab project competition create'");
        }
        Competition c =
                GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), Competition.class);
        if (c == null || c.metric() == null || c.ids() == null || c.classes() == null) {
            throw new IOException(f + " is damaged (no metric, ids or classes)");
        }
        return c;
    }

    /**
     * Scores valid predictions on a part of the ids.
     *
     * @param predictions from {@link Submission#read}
     * @param part which ids
     * @return the metric's value
     */
    public double score(Submission predictions, Part part) {
        if (!canScore()) {
            throw new IllegalStateException(
                    "this is a group's kit: scores need the instructor's labels");
        }
        Set<String> pub = Set.copyOf(publicIds);
        List<String> chosen =
                ids.stream()
                        .filter(id -> part == Part.ALL || (part == Part.PUBLIC) == pub.contains(id))
                        .toList();
        int n = chosen.size();
        switch (metric) {
            case ACCURACY, MACRO_F1, F1 -> {
                int[][] confusion = new int[classes.size()][classes.size()];
                for (String id : chosen) {
                    confusion[classes.indexOf(labels.get(id).get(0))][
                            classes.indexOf(predictions.labels().get(id))]++;
                }
                ClassMetrics m = ClassMetrics.of(confusion);
                return metric == Metric.ACCURACY
                        ? m.accuracy()
                        : metric == Metric.MACRO_F1
                                ? m.macroF1()
                                : m.f1()[classes.indexOf(positive)];
            }
            case LOG_LOSS -> {
                double[][] p = new double[n][];
                int[] y = new int[n];
                for (int i = 0; i < n; i++) {
                    p[i] = predictions.probabilities().get(chosen.get(i));
                    y[i] = classes.indexOf(labels.get(chosen.get(i)).get(0));
                }
                return LogLoss.of(p, y);
            }
            case ROC_AUC -> {
                double[] s = new double[n];
                boolean[] y = new boolean[n];
                for (int i = 0; i < n; i++) {
                    s[i] = predictions.probabilities().get(chosen.get(i))[0];
                    y[i] = labels.get(chosen.get(i)).get(0).equals(positive);
                }
                return RocAuc.binary(s, y);
            }
            default -> {
                double[][] p = new double[n][];
                boolean[][] y = new boolean[n][classes.size()];
                for (int i = 0; i < n; i++) {
                    p[i] = predictions.probabilities().get(chosen.get(i));
                    for (String l : labels.get(chosen.get(i))) {
                        y[i][classes.indexOf(l)] = true;
                    }
                }
                return RocAuc.meanColumnwise(p, y);
            }
        }
    }
}
