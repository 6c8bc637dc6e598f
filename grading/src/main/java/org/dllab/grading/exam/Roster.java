package org.dllab.grading.exam;

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
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A class list as CSV: the student ids of the column headed {@code id}, {@code student}, {@code
 * student_id}, {@code ID number} (Moodle), {@code SIS User ID} (Canvas), {@code username} or {@code
 * 學號}; without such a header, the first column of every row.
 */
public final class Roster {

    private static final Set<String> ID_HEADERS =
            Set.of(
                    "id",
                    "student",
                    "student id",
                    "student_id",
                    "studentid",
                    "id number",
                    "sis user id",
                    "username",
                    "學號");

    private Roster() {}

    /**
     * Reads the ids.
     *
     * @param csv the class list
     * @return the ids, in file order
     * @throws IOException when the file cannot be read, an id is empty, or one appears twice
     *     (naming the lines)
     */
    public static List<String> read(Path csv) throws IOException {
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            rows =
                    CSVFormat.DEFAULT
                            .builder()
                            .setIgnoreEmptyLines(true)
                            .setTrim(true)
                            .get()
                            .parse(r)
                            .getRecords();
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new IOException(csv + " is not a readable CSV file: " + e.getMessage(), e);
        }
        int column = 0;
        int first = 0;
        if (!rows.isEmpty()) {
            CSVRecord head = rows.get(0);
            for (int i = 0; i < head.size(); i++) {
                if (ID_HEADERS.contains(
                        head.get(i).replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT))) {
                    column = i;
                    first = 1;
                    break;
                }
            }
        }
        Map<String, Long> seen = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (CSVRecord row : rows.subList(first, rows.size())) {
            String id = row.size() > column ? row.get(column).replace("\uFEFF", "").trim() : "";
            if (id.isEmpty()) {
                problems.add(
                        csv.getFileName()
                                + ":"
                                + row.getRecordNumber()
                                + ": no student id in column "
                                + (column + 1));
            } else if (seen.containsKey(id)) {
                problems.add(
                        csv.getFileName()
                                + ":"
                                + row.getRecordNumber()
                                + ": student id '"
                                + id
                                + "' already on line "
                                + seen.get(id));
            } else {
                seen.put(id, row.getRecordNumber());
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(
                    "the class list has "
                            + problems.size()
                            + " problem(s):\n  "
                            + String.join("\n  ", problems));
        }
        if (seen.isEmpty()) {
            throw new IOException(csv + " lists no students");
        }
        return List.copyOf(seen.keySet());
    }
}
