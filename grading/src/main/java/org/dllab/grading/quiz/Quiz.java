package org.dllab.grading.quiz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A week's quiz, read from {@code quizzes/wNN.yaml} on the classpath (the bank's files are in
 * {@code grading/src/main/resources/quizzes/}; see {@code docs/quizzes.md} for the format).
 *
 * @param id e.g. {@code w06}
 * @param title the quiz's title in both languages
 * @param questions its questions, in order
 */
public record Quiz(String id, Question.Text title, List<Question> questions) {

    /** The quizzes of the course, in week order. */
    public static final List<String> IDS =
            List.of("w02", "w03", "w04", "w05", "w06", "w07", "w08", "w10", "w11", "w12");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)}");

    /**
     * Loads a quiz of the bank.
     *
     * @param id e.g. {@code w06}
     * @return the quiz
     * @throws IOException when it is not in the bank or cannot be read
     * @throws IllegalArgumentException when the file is malformed (naming the question and field)
     */
    public static Quiz load(String id) throws IOException {
        if (!IDS.contains(id)) {
            throw new IOException("no quiz '" + id + "'; the quizzes are " + IDS);
        }
        try (InputStream in = Quiz.class.getResourceAsStream("/quizzes/" + id + ".yaml")) {
            if (in == null) {
                throw new IOException("quizzes/" + id + ".yaml is missing from the classpath");
            }
            return parse(id + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Reads a quiz from YAML text, checking everything a drawn question needs.
     *
     * @param file the file's name, for messages
     * @param yaml the text
     * @return the quiz
     * @throws IllegalArgumentException naming the file, question and field that is wrong
     */
    @SuppressWarnings("unchecked")
    public static Quiz parse(String file, String yaml) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(
                    file + ": not a YAML mapping with id, title and questions");
        }
        String id = string(top, "id", file);
        Question.Text title = text(top.get("title"), file + ": title");
        Object qs = top.get("questions");
        if (!(qs instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": 'questions' must be a non-empty list");
        }
        List<Question> questions = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> q)) {
                throw new IllegalArgumentException(file + ": every question must be a mapping");
            }
            String qid = string(q, "id", file);
            String where = file + ", question " + qid;
            if (!ids.add(qid)) {
                throw new IllegalArgumentException(where + ": the id is used twice");
            }
            Question.Kind kind;
            try {
                kind =
                        Question.Kind.valueOf(
                                string(q, "kind", where).toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        where + ": kind must be choice, numeric, shape or text");
            }
            Map<String, List<Object>> params = new LinkedHashMap<>();
            if (q.get("params") instanceof Map<?, ?> p) {
                p.forEach(
                        (k, v) -> {
                            if (!(v instanceof List<?> values) || values.isEmpty()) {
                                throw new IllegalArgumentException(
                                        where
                                                + ": parameter '"
                                                + k
                                                + "' must be a non-empty list of values");
                            }
                            params.put(String.valueOf(k), (List<Object>) values);
                        });
            }
            Map<String, Object> compute =
                    q.get("compute") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
            if (!compute.isEmpty()
                    && !Computations.names().contains(String.valueOf(compute.get("fn")))) {
                throw new IllegalArgumentException(
                        where
                                + ": compute.fn '"
                                + compute.get("fn")
                                + "' is not one of "
                                + Computations.names());
            }
            for (Object v : compute.values()) {
                if (v instanceof String s
                        && s.startsWith("$")
                        && !params.containsKey(s.substring(1))) {
                    throw new IllegalArgumentException(
                            where + ": compute uses " + s + " but there is no such parameter");
                }
            }
            List<Question.Option> options = new ArrayList<>();
            if (kind == Question.Kind.CHOICE) {
                if (!(q.get("options") instanceof List<?> opts) || opts.size() < 2) {
                    throw new IllegalArgumentException(
                            where + ": a choice question needs at least two options");
                }
                for (Object op : opts) {
                    Map<?, ?> m = (Map<?, ?>) op;
                    options.add(
                            new Question.Option(
                                    text(m, where + ": option"),
                                    Boolean.TRUE.equals(m.get("correct"))));
                }
                if (options.stream().filter(Question.Option::correct).count() != 1) {
                    throw new IllegalArgumentException(
                            where + ": exactly one option must be 'correct: true'");
                }
            } else if (compute.isEmpty() && q.get("answer") == null) {
                throw new IllegalArgumentException(where + ": needs 'compute' or 'answer'");
            }
            double tolerance = q.get("tolerance") instanceof Number n ? n.doubleValue() : 0;
            if (kind == Question.Kind.NUMERIC
                    && tolerance == 0
                    && !compute.isEmpty()
                    && !String.valueOf(compute.get("fn")).endsWith("params")
                    && !String.valueOf(compute.get("fn")).equals("kv-cache-values")
                    && !String.valueOf(compute.get("fn")).equals("patch-tokens")) {
                throw new IllegalArgumentException(
                        where + ": a computed non-integer answer needs a 'tolerance'");
            }
            Question.Text text = text(q.get("text"), where + ": text");
            Question.Text explain = text(q.get("explain"), where + ": explain");
            for (String s : List.of(text.en(), text.zh(), explain.en(), explain.zh())) {
                Matcher m = PLACEHOLDER.matcher(s);
                while (m.find()) {
                    if (!params.containsKey(m.group(1)) && !m.group(1).equals("answer")) {
                        throw new IllegalArgumentException(
                                where + ": {" + m.group(1) + "} is not a parameter");
                    }
                }
            }
            questions.add(
                    new Question(
                            qid,
                            kind,
                            params,
                            compute,
                            q.get("answer"),
                            tolerance,
                            text,
                            options,
                            explain));
        }
        return new Quiz(id, title, List.copyOf(questions));
    }

    private static String string(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new IllegalArgumentException(where + ": '" + key + "' is missing");
        }
        return String.valueOf(v);
    }

    private static Question.Text text(Object o, String where) {
        if (!(o instanceof Map<?, ?> m) || m.get("en") == null || m.get("zh") == null) {
            throw new IllegalArgumentException(where + " needs both 'en' and 'zh'");
        }
        return new Question.Text(
                String.valueOf(m.get("en")).trim(), String.valueOf(m.get("zh")).trim());
    }

    /**
     * A student's variant of the quiz: every question drawn from a seed of the quiz, the question,
     * the student and the instructor's salt (empty for practice), so a student gets the same paper
     * again and neighbours differ.
     *
     * @param student the student id
     * @param salt the instructor's secret, or "" for practice
     * @return the drawn questions, in order
     */
    public List<Question.Instance> paper(String student, String salt) {
        List<Question.Instance> out = new ArrayList<>();
        for (Question q : questions) {
            out.add(
                    q.draw(
                            new Random(
                                    org.dllab.grading.Seeds.of(
                                            id + "\n" + q.id() + "\n" + student + "\n" + salt))));
        }
        return out;
    }
}
