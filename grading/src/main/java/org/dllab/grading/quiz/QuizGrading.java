package org.dllab.grading.quiz;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Grades answers collected as CSV (a paper quiz typed in, a form export, {@code dllab quiz take
 * --answers}): a header {@code student, q1, q2, ...} or {@code student, <question ids>}, one row
 * per student, each checked against that student's own variant (drawn from their id and the salt
 * the papers were made with).
 */
public final class QuizGrading {

    /**
     * One student's result.
     *
     * @param student the id
     * @param correct questions right
     * @param total questions in the quiz
     * @param marks per question: 1 or 0
     */
    public record Result(String student, int correct, int total, List<Integer> marks) {}

    private QuizGrading() {}

    /**
     * Grades a CSV of answers.
     *
     * @param quiz the quiz
     * @param answers the CSV
     * @param salt the salt the papers were drawn with ("" for practice papers)
     * @param out grades CSV to write: student, correct, total, percent, one column per question
     * @return the results, in file order
     * @throws IOException when a file cannot be read or written, or the header names an unknown
     *     question (with its column)
     */
    public static List<Result> grade(Quiz quiz, Path answers, String salt, Path out)
            throws IOException {
        List<Result> results = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(answers, StandardCharsets.UTF_8)) {
            List<CSVRecord> rows =
                    CSVFormat.DEFAULT
                            .builder()
                            .setTrim(true)
                            .setIgnoreEmptyLines(true)
                            .get()
                            .parse(r)
                            .getRecords();
            if (rows.isEmpty()) {
                throw new IOException(
                        answers
                                + " is empty: expected a header 'student,q1,q2,...' and one row per student");
            }
            CSVRecord head = rows.get(0);
            int[] column = new int[quiz.questions().size()];
            java.util.Arrays.fill(column, -1);
            for (int c = 1; c < head.size(); c++) {
                String h = head.get(c).replace("\uFEFF", "");
                int q = -1;
                for (int i = 0; i < quiz.questions().size(); i++) {
                    if (h.equalsIgnoreCase("q" + (i + 1))
                            || h.equals(quiz.questions().get(i).id())) {
                        q = i;
                    }
                }
                if (q < 0) {
                    throw new IOException(
                            answers.getFileName()
                                    + ":1: column "
                                    + (c + 1)
                                    + " '"
                                    + h
                                    + "' is not a question of "
                                    + quiz.id()
                                    + " (use q1..q"
                                    + quiz.questions().size()
                                    + " or the question ids)");
                }
                column[q] = c;
            }
            for (CSVRecord row : rows.subList(1, rows.size())) {
                String student = row.get(0).replace("\uFEFF", "");
                if (student.isEmpty()) {
                    throw new IOException(
                            answers.getFileName()
                                    + ":"
                                    + row.getRecordNumber()
                                    + ": no student id in the first column");
                }
                List<Question.Instance> paper = quiz.paper(student, salt);
                List<Integer> marks = new ArrayList<>();
                for (int i = 0; i < paper.size(); i++) {
                    String response =
                            column[i] >= 0 && column[i] < row.size() ? row.get(column[i]) : "";
                    marks.add(paper.get(i).accepts(response) ? 1 : 0);
                }
                results.add(
                        new Result(
                                student,
                                marks.stream().mapToInt(Integer::intValue).sum(),
                                paper.size(),
                                marks));
            }
        }
        List<String> header = new ArrayList<>(List.of("student", "correct", "total", "percent"));
        quiz.questions().forEach(q -> header.add(q.id()));
        try (CSVPrinter csv =
                new CSVPrinter(
                        Files.newBufferedWriter(out, StandardCharsets.UTF_8),
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(header.toArray(String[]::new))
                                .get())) {
            for (Result r : results) {
                List<Object> row =
                        new ArrayList<>(
                                List.of(
                                        r.student(),
                                        r.correct(),
                                        r.total(),
                                        String.format(
                                                Locale.ROOT,
                                                "%.1f",
                                                100.0 * r.correct() / r.total())));
                row.addAll(r.marks());
                csv.printRecord(row);
            }
        }
        return results;
    }
}
