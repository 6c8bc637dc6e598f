package org.dllab.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A group's own texts: CSV (with a header) or JSON Lines ({@code .jsonl}), with configurable text,
 * label and id columns. Labels are optional (an unlabelled test set); ids default to the row
 * number. Every problem names the file, the line and the column (a missing column is named with the
 * ones there are); rows without text are errors, not silently dropped.
 */
public final class LabelledText {

    /**
     * One example.
     *
     * @param id its id (the id column, or the row number from 1)
     * @param text the text
     * @param label its label, or null when the file has no labels
     */
    public record Row(String id, String text, String label) {}

    private LabelledText() {}

    /**
     * Reads a file.
     *
     * @param file a {@code .csv} or {@code .jsonl} file
     * @param textColumn the text's column, e.g. {@code text}
     * @param labelColumn the label's column, or null for unlabelled data
     * @param idColumn the id's column, or null for row numbers
     * @return the rows, in file order
     * @throws IOException when the file cannot be read or a row is malformed (every problem, each
     *     with its line)
     */
    public static List<Row> read(Path file, String textColumn, String labelColumn, String idColumn)
            throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Map<String, String>> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> columns;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            columns = null;
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonElement e;
                    try {
                        e = JsonParser.parseString(line);
                    } catch (RuntimeException bad) {
                        throw new IOException(
                                file.getFileName()
                                        + ":"
                                        + n
                                        + ": not a JSON object ("
                                        + bad.getMessage()
                                        + ")");
                    }
                    if (!e.isJsonObject()) {
                        throw new IOException(file.getFileName() + ":" + n + ": not a JSON object");
                    }
                    Map<String, String> m = new LinkedHashMap<>();
                    for (Map.Entry<String, JsonElement> f : ((JsonObject) e).entrySet()) {
                        m.put(
                                f.getKey(),
                                f.getValue().isJsonNull()
                                        ? null
                                        : f.getValue().isJsonPrimitive()
                                                ? f.getValue().getAsString()
                                                : f.getValue().toString());
                    }
                    records.add(m);
                    lines.add(n);
                }
            }
        } else if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            CSVFormat format =
                    (name.endsWith(".tsv") ? CSVFormat.TDF : CSVFormat.DEFAULT)
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .setIgnoreEmptyLines(true)
                            .get();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                    var parser = format.parse(r)) {
                columns =
                        parser.getHeaderNames().stream().map(h -> h.replace("\uFEFF", "")).toList();
                for (CSVRecord rec : parser) {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        m.put(columns.get(i), i < rec.size() ? rec.get(i) : null);
                    }
                    records.add(m);
                    lines.add(rec.getRecordNumber() + 1); // + the header line
                }
            } catch (java.io.UncheckedIOException
                    | IllegalStateException
                    | IllegalArgumentException e) {
                throw new IOException(
                        file.getFileName() + " is not valid CSV: " + e.getMessage(), e);
            }
            for (String c : new String[] {textColumn, labelColumn, idColumn}) {
                if (c != null && !columns.contains(c)) {
                    throw new IOException(
                            file.getFileName()
                                    + ":1: no column '"
                                    + c
                                    + "'; the columns are "
                                    + columns);
                }
            }
        } else {
            throw new IOException(file.getFileName() + ": read .csv, .tsv or .jsonl files");
        }
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Long> ids = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, String> m = records.get(i);
            String at = file.getFileName() + ":" + lines.get(i) + ": ";
            String text = m.get(textColumn);
            if (text == null || text.isBlank()) {
                problems.add(
                        at
                                + (m.containsKey(textColumn)
                                        ? "empty '" + textColumn + "'"
                                        : "no '"
                                                + textColumn
                                                + "' (the fields are "
                                                + m.keySet()
                                                + ")"));
                continue;
            }
            String label = labelColumn == null ? null : m.get(labelColumn);
            if (labelColumn != null && (label == null || label.isBlank())) {
                problems.add(at + "no label in '" + labelColumn + "'");
                continue;
            }
            String id = idColumn == null ? Integer.toString(i + 1) : m.get(idColumn);
            if (id == null || id.isBlank()) {
                problems.add(at + "no id in '" + idColumn + "'");
                continue;
            }
            Long before = ids.put(id, lines.get(i));
            if (before != null) {
                problems.add(at + "id '" + id + "' already on line " + before);
                continue;
            }
            rows.add(new Row(id, text, label == null ? null : label.trim()));
            if (problems.size() >= 20) {
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(
                    problems.size()
                            + " problem(s) in "
                            + file.getFileName()
                            + ":\n  "
                            + String.join("\n  ", problems));
        }
        if (rows.isEmpty()) {
            throw new IOException(file.getFileName() + " has no rows");
        }
        return rows;
    }
}
