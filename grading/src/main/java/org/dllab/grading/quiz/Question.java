package org.dllab.grading.quiz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One question of the bank, before its numbers are drawn.
 *
 * @param id unique in its quiz
 * @param kind what an answer is
 * @param params parameter name to the values one is drawn from (empty: a fixed question)
 * @param compute the computation ({@code fn}) and its arguments ({@code $name} takes a drawn
 *     parameter), or empty
 * @param answer the fixed answer when nothing is computed (a number, a shape, a text), or null
 * @param tolerance numeric answers: the largest accepted absolute difference
 * @param text the question, English and Traditional Chinese, with {@code {name}} for parameters
 * @param options multiple choice: each option's texts and whether it is correct
 * @param explain shown after answering, with {@code {answer}} and the parameters filled in
 */
public record Question(
        String id,
        Kind kind,
        Map<String, List<Object>> params,
        Map<String, Object> compute,
        Object answer,
        double tolerance,
        Text text,
        List<Option> options,
        Text explain) {

    /** What an answer is. */
    public enum Kind {
        /** One option of several. */
        CHOICE,
        /** A number, within a tolerance. */
        NUMERIC,
        /** A tensor shape, e.g. (4, 16, 14, 14). */
        SHAPE,
        /** A short text, e.g. the output of a line of code. */
        TEXT
    }

    /**
     * A text in both languages.
     *
     * @param en English
     * @param zh Traditional Chinese
     */
    public record Text(String en, String zh) {

        Text fill(Map<String, String> values) {
            return new Text(Question.fill(en, values), Question.fill(zh, values));
        }
    }

    /**
     * A multiple-choice option.
     *
     * @param text its texts
     * @param correct whether choosing it is right
     */
    public record Option(Text text, boolean correct) {}

    /**
     * A question with its numbers drawn and its answer known.
     *
     * @param questionId the question's id
     * @param kind what an answer is
     * @param text the filled-in question
     * @param options the options in the order shown (choice only)
     * @param answer the answer: a Double, Long, long[] shape, String, or the correct option's index
     * @param tolerance numeric only
     * @param explain the filled-in explanation
     * @param values the drawn parameters (empty for a fixed question)
     */
    public record Instance(
            String questionId,
            Kind kind,
            Text text,
            List<Option> options,
            Object answer,
            double tolerance,
            Text explain,
            Map<String, Object> values) {

        /**
         * Whether its numbers were drawn.
         *
         * @return true for a parameterised question
         */
        public boolean parameterised() {
            return !values.isEmpty();
        }

        /**
         * The answer as a student would write it.
         *
         * @return e.g. {@code (4, 16, 14, 14)}, {@code 0.2689}, {@code B}
         */
        public String answerText() {
            return Question.format(
                    kind == Kind.CHOICE
                            ? Character.toString('A' + ((Number) answer).intValue())
                            : answer);
        }

        /**
         * Whether a response is right.
         *
         * @param response what the student wrote (a letter or 1-based number for a choice)
         * @return true when right
         */
        public boolean accepts(String response) {
            String r = response == null ? "" : response.trim();
            if (r.isEmpty()) {
                return false;
            }
            switch (kind) {
                case CHOICE -> {
                    int chosen =
                            Character.isDigit(r.charAt(0))
                                    ? Integer.parseInt(r.replaceAll("\\D.*", "")) - 1
                                    : Character.toUpperCase(r.charAt(0)) - 'A';
                    return r.length() <= 3 && chosen == ((Number) answer).intValue();
                }
                case NUMERIC -> {
                    try {
                        double v = Double.parseDouble(r.replace(',', '.'));
                        return Math.abs(v - ((Number) answer).doubleValue()) <= tolerance + 1e-12;
                    } catch (NumberFormatException notANumber) {
                        return false;
                    }
                }
                case SHAPE -> {
                    long[] want = (long[]) answer;
                    long[] got =
                            java.util.regex.Pattern.compile("\\d+")
                                    .matcher(r)
                                    .results()
                                    .mapToLong(m -> Long.parseLong(m.group()))
                                    .toArray();
                    return java.util.Arrays.equals(want, got);
                }
                default -> {
                    return r.equals(String.valueOf(answer).trim());
                }
            }
        }
    }

    /**
     * Draws the question's numbers and computes its answer.
     *
     * @param random the student's random numbers for this question
     * @return the instance
     */
    public Instance draw(Random random) {
        Map<String, Object> drawn = new LinkedHashMap<>();
        params.forEach(
                (name, values) -> drawn.put(name, values.get(random.nextInt(values.size()))));
        Object value;
        List<Option> shown = options;
        if (kind == Kind.CHOICE) {
            List<Option> shuffled = new ArrayList<>(options);
            java.util.Collections.shuffle(shuffled, random);
            shown = List.copyOf(shuffled);
            value =
                    shuffled.indexOf(
                            shuffled.stream().filter(Option::correct).findFirst().orElseThrow());
        } else if (!compute.isEmpty()) {
            value = Computations.compute((String) compute.get("fn"), arguments(drawn));
            if (kind == Kind.NUMERIC && value instanceof Long l) {
                value = l.doubleValue();
            }
        } else {
            value =
                    kind == Kind.SHAPE
                            ? java.util.regex.Pattern.compile("\\d+")
                                    .matcher(String.valueOf(answer))
                                    .results()
                                    .mapToLong(m -> Long.parseLong(m.group()))
                                    .toArray()
                            : kind == Kind.NUMERIC ? ((Number) answer).doubleValue() : answer;
        }
        Map<String, String> values = new LinkedHashMap<>();
        drawn.forEach((k, v) -> values.put(k, format(v)));
        Instance partial =
                new Instance(
                        id,
                        kind,
                        text.fill(values),
                        shown,
                        value,
                        tolerance,
                        explain,
                        Map.copyOf(drawn));
        values.put("answer", partial.answerText());
        return new Instance(
                id,
                kind,
                partial.text(),
                shown,
                value,
                tolerance,
                explain.fill(values),
                Map.copyOf(drawn));
    }

    /**
     * The computation's arguments for drawn parameters: {@code $name} replaced by the parameter's
     * value.
     *
     * @param drawn parameter name to value
     * @return argument name to value, without {@code fn}
     */
    public Map<String, Object> arguments(Map<String, Object> drawn) {
        Map<String, Object> args = new LinkedHashMap<>();
        compute.forEach(
                (k, v) -> {
                    if (!k.equals("fn")) {
                        args.put(
                                k,
                                v instanceof String s && s.startsWith("$")
                                        ? drawn.get(s.substring(1))
                                        : v);
                    }
                });
        return args;
    }

    /** Numbers without needless digits, shapes as (a, b), lists as [a, b]. */
    static String format(Object v) {
        if (v instanceof long[] shape) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                b.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            return b.append(shape.length == 1 ? ",)" : ")").toString();
        }
        if (v instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(Question::format).toList()) + "]";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            String s = String.format(Locale.ROOT, "%.4f", d);
            return s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return String.valueOf(v);
    }

    static String fill(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
