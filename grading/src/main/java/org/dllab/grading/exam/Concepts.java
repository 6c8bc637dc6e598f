package org.dllab.grading.exam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.dllab.grading.Seeds;
import org.dllab.grading.quiz.Question;
import org.dllab.grading.quiz.Quiz;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An exam paper's concept questions: questions of the quiz bank named in {@code
 * solutions/<exam>/concepts.yaml}, drawn per student with the exam's salt, written into the paper
 * ({@code CONCEPTS.md}), answered in {@code answers.txt} (one line {@code N: answer} per question)
 * and graded with the exam.
 *
 * @param refs the questions, in paper order
 * @param questions the bank's questions they name, read once, in the same order
 */
public record Concepts(List<Ref> refs, List<Question> questions) {

    /** The answer file in a paper. */
    public static final String ANSWERS = "answers.txt";

    /**
     * One concept question.
     *
     * @param quiz the bank's quiz, e.g. {@code w05}
     * @param question the question's id in it
     * @param points what a right answer earns
     */
    public record Ref(String quiz, String question, double points) {}

    /** No concept questions. */
    public static final Concepts NONE = new Concepts(List.of(), List.of());

    /**
     * Reads an exam's concept questions, if it has any.
     *
     * @param solutionsModule the {@code solutions} folder
     * @param examId e.g. {@code midterm}
     * @return the questions ({@link #NONE} without a {@code concepts.yaml})
     * @throws IOException when the file cannot be read, or names a quiz or question the bank does
     *     not have
     */
    public static Concepts load(Path solutionsModule, String examId) throws IOException {
        Path f = solutionsModule.resolve(examId).resolve("concepts.yaml");
        if (!Files.isRegularFile(f)) {
            return NONE;
        }
        Object root =
                new Yaml(new SafeConstructor(new LoaderOptions()))
                        .load(Files.readString(f, StandardCharsets.UTF_8));
        if (!(root instanceof Map<?, ?> m) || !(m.get("questions") instanceof List<?> list)) {
            throw new IOException(
                    f + ": expected 'questions:' with a list of {quiz, question, points}");
        }
        List<Ref> refs = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        for (Object o : list) {
            Map<?, ?> q = (Map<?, ?>) o;
            Ref r =
                    new Ref(
                            String.valueOf(q.get("quiz")),
                            String.valueOf(q.get("question")),
                            q.get("points") instanceof Number n ? n.doubleValue() : 1);
            questions.add(
                    Quiz.load(r.quiz()).questions().stream()
                            .filter(x -> x.id().equals(r.question()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    f
                                                            + ": quiz "
                                                            + r.quiz()
                                                            + " has no question '"
                                                            + r.question()
                                                            + "'")));
            refs.add(r);
        }
        return new Concepts(List.copyOf(refs), List.copyOf(questions));
    }

    /**
     * A student's concept questions.
     *
     * @param examId the exam
     * @param student the student id
     * @param salt the exam's secret
     * @return the drawn questions, in paper order
     */
    public List<Question.Instance> paper(String examId, String student, String salt) {
        List<Question.Instance> out = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            Ref r = refs.get(i);
            out.add(
                    questions
                            .get(i)
                            .draw(
                                    new Random(
                                            Seeds.of(
                                                    examId
                                                            + "\n"
                                                            + salt
                                                            + "\n"
                                                            + student
                                                            + "\n"
                                                            + r.quiz()
                                                            + "/"
                                                            + r.question()))));
        }
        return out;
    }

    /** The paper's question sheet, both languages. */
    static String sheet(List<Question.Instance> questions) {
        StringBuilder b =
                new StringBuilder(
                        "# Concept questions 觀念題\n\nWrite each answer after its number in answers.txt "
                                + "(a letter, a number, or a shape like (4, 16, 14, 14)).\n請把答案寫在 answers.txt 對應的題號後面（選項字母、數字，或像 (4, 16, 14, 14) 的形狀）。\n");
        for (int i = 0; i < questions.size(); i++) {
            Question.Instance q = questions.get(i);
            b.append("\n")
                    .append(i + 1)
                    .append(". ")
                    .append(q.text().en())
                    .append("\n   ")
                    .append(q.text().zh())
                    .append('\n');
            for (int o = 0; o < q.options().size(); o++) {
                b.append("   ")
                        .append((char) ('A' + o))
                        .append(") ")
                        .append(q.options().get(o).text().en())
                        .append(" / ")
                        .append(q.options().get(o).text().zh())
                        .append('\n');
            }
        }
        return b.toString();
    }

    /** The empty answer file. */
    static String blankAnswers(int n) {
        StringBuilder b = new StringBuilder("# one answer after each number 每題答案寫在題號後面\n");
        for (int i = 1; i <= n; i++) {
            b.append(i).append(": \n");
        }
        return b.toString();
    }

    /**
     * Reads the answers of a submission: the {@code answers.txt} found anywhere in the folder or
     * zip.
     *
     * @param submission the folder or zip, or null
     * @param n the number of questions
     * @return answer per question ("" when missing)
     * @throws IOException when the submission cannot be read
     */
    static List<String> answers(Path submission, int n) throws IOException {
        String text = null;
        if (submission != null && Files.isDirectory(submission, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(submission)) {
                Path f =
                        walk.filter(
                                        p ->
                                                p.getFileName().toString().equals(ANSWERS)
                                                        && Files.isRegularFile(
                                                                p, LinkOption.NOFOLLOW_LINKS))
                                .findFirst()
                                .orElse(null);
                text =
                        f == null || Files.size(f) > 64 << 10
                                ? null
                                : Files.readString(f, StandardCharsets.UTF_8);
            }
        } else if (submission != null) {
            try (java.util.zip.ZipFile zip =
                    new java.util.zip.ZipFile(submission.toFile(), StandardCharsets.UTF_8)) {
                var entry =
                        zip.stream()
                                .filter(
                                        e ->
                                                !e.isDirectory()
                                                        && (e.getName().equals(ANSWERS)
                                                                || e.getName()
                                                                        .endsWith("/" + ANSWERS)))
                                .findFirst();
                if (entry.isPresent() && entry.get().getSize() <= 64 << 10) {
                    try (InputStream in = zip.getInputStream(entry.get())) {
                        text = new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        List<String> out = new ArrayList<>(java.util.Collections.nCopies(n, ""));
        if (text != null) {
            for (String line : text.split("\n")) {
                var m =
                        java.util.regex.Pattern.compile("^\\s*(\\d+)\\s*[:.)]\\s*(.*)$")
                                .matcher(line);
                if (m.matches()) {
                    int i = Integer.parseInt(m.group(1)) - 1;
                    if (i >= 0 && i < n) {
                        out.set(i, m.group(2).trim());
                    }
                }
            }
        }
        return out;
    }
}
