package org.dllab.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A group's own table: a CSV file with a header, an optional id column, an optional label column
 * (absent in the competition's test file) and any number of feature columns, numeric or categorical
 * ({@link TabularEncoder} decides which and turns them into numbers). Every problem names the file,
 * the line and the column: a row with too few or too many cells, a missing label, a repeated id.
 * The cells are kept as text.
 */
public final class TabularCsv {

    /**
     * A table.
     *
     * @param file where it came from (for messages)
     * @param columns the feature columns, in file order (without the id and the label)
     * @param ids each row's id (the id column, or the row number from 1)
     * @param cells each row's feature cells, in {@code columns} order
     * @param labels each row's label, or null for an unlabelled file
     * @param lines each row's line in the file (for messages)
     */
    public record Table(
            String file,
            List<String> columns,
            List<String> ids,
            List<String[]> cells,
            List<String> labels,
            List<Long> lines) {

        /**
         * Number of rows.
         *
         * @return the count
         */
        public int size() {
            return ids.size();
        }
    }

    private TabularCsv() {}

    /**
     * Reads a CSV table (comma-separated; {@code .tsv} tab-separated).
     *
     * @param file the file
     * @param labelColumn the label's column, or null for an unlabelled file
     * @param idColumn the id's column, or null for row numbers
     * @return the table
     * @throws IOException when the file cannot be read or is malformed (up to 20 problems, each
     *     with its line)
     */
    public static Table read(Path file, String labelColumn, String idColumn) throws IOException {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    file.toAbsolutePath()
                            + " does not exist: put the table there (a CSV file with a header line)");
        }
        CSVFormat format =
                (name.toLowerCase(Locale.ROOT).endsWith(".tsv") ? CSVFormat.TDF : CSVFormat.DEFAULT)
                        .builder()
                        .setIgnoreEmptyLines(true)
                        .setTrim(true)
                        .get();
        List<String> header;
        List<String> columns = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String[]> cells = new ArrayList<>();
        List<String> labels = labelColumn == null ? null : new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                var parser = format.parse(r)) {
            var records = parser.iterator();
            if (!records.hasNext()) {
                throw new IOException(name + " is empty: the first line names the columns");
            }
            header = records.next().toList().stream().map(h -> h.replace("\uFEFF", "")).toList();
            for (String c : new String[] {labelColumn, idColumn}) {
                if (c != null && !header.contains(c)) {
                    throw new IOException(
                            name + ":1: no column '" + c + "'; the columns are " + header);
                }
            }
            int labelAt = labelColumn == null ? -1 : header.indexOf(labelColumn);
            int idAt = idColumn == null ? -1 : header.indexOf(idColumn);
            for (int c = 0; c < header.size(); c++) {
                if (c != labelAt && c != idAt) {
                    columns.add(header.get(c));
                }
            }
            if (columns.isEmpty()) {
                throw new IOException(
                        name
                                + ":1: no feature columns besides the id and the label; the columns are "
                                + header);
            }
            Map<String, Long> seen = new HashMap<>();
            while (records.hasNext() && problems.size() < 20) {
                CSVRecord rec = records.next();
                long line = parser.getCurrentLineNumber();
                String at = name + ":" + line + ": ";
                if (rec.size() != header.size()) {
                    problems.add(at + rec.size() + " cells, the header has " + header.size());
                    continue;
                }
                String label = labelAt < 0 ? null : rec.get(labelAt);
                if (labelAt >= 0 && label.isEmpty()) {
                    problems.add(at + "no label in '" + labelColumn + "'");
                    continue;
                }
                String id = idAt < 0 ? Integer.toString(ids.size() + 1) : rec.get(idAt);
                Long before = id.isEmpty() ? null : seen.put(id, line);
                if (id.isEmpty() || before != null) {
                    problems.add(
                            at
                                    + (id.isEmpty()
                                            ? "no id in '" + idColumn + "'"
                                            : "id '" + id + "' already on line " + before));
                    continue;
                }
                String[] row = new String[columns.size()];
                for (int c = 0, k = 0; c < header.size(); c++) {
                    if (c != labelAt && c != idAt) {
                        row[k++] = rec.get(c);
                    }
                }
                ids.add(id);
                cells.add(row);
                lines.add(line);
                if (labels != null) {
                    labels.add(label);
                }
            }
        } catch (java.io.UncheckedIOException
                | IllegalStateException
                | IllegalArgumentException e) {
            throw new IOException(name + " is not valid CSV: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new IOException(
                    problems.size()
                            + " problem(s) in "
                            + name
                            + ":\n  "
                            + String.join("\n  ", problems));
        }
        if (ids.isEmpty()) {
            throw new IOException(name + " has a header but no rows");
        }
        return new Table(name, List.copyOf(columns), ids, cells, labels, lines);
    }
}
