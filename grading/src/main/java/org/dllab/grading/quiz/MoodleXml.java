package org.dllab.grading.quiz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A quiz as Moodle XML, the question format most learning systems import. Each question becomes a
 * category ({@code $course$/dllab/wNN/question-id}) holding up to {@code variants} distinct drawn
 * versions (one for a fixed question), so a Moodle quiz with one "random question from category"
 * slot per category gives each student their own numbers. Texts are bilingual through Moodle's
 * multi-language content filter ({@code <span lang="en" class="multilang">}). Numeric answers carry
 * their tolerance; shapes are short answers in the form {@code (4, 16, 14, 14)}, with the spacing
 * variants students write also accepted.
 */
public final class MoodleXml {

    private MoodleXml() {}

    /**
     * Writes the quiz.
     *
     * @param quiz the quiz
     * @param variants drawn versions of each parameterised question
     * @param salt the seed's secret ("" for reproducible practice sets)
     * @param file the XML file
     * @return the number of Moodle questions written
     * @throws IOException when it cannot be written
     */
    public static int write(Quiz quiz, int variants, String salt, Path file) throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
        int count = 0;
        for (int qi = 0; qi < quiz.questions().size(); qi++) {
            Question q = quiz.questions().get(qi);
            x.append("  <question type=\"category\"><category><text>$course$/dllab/")
                    .append(quiz.id())
                    .append('/')
                    .append(q.id())
                    .append("</text></category></question>\n");
            int n = q.params().isEmpty() ? 1 : variants;
            java.util.Set<String> seen =
                    new java.util
                            .HashSet<>(); // a small parameter space draws the same numbers twice:
            // one copy each
            for (int v = 0; v < n; v++) {
                Question.Instance inst = quiz.paper("moodle-variant-" + v, salt).get(qi);
                if (seen.add(inst.text().en())) {
                    question(x, quiz, inst, seen.size() - 1);
                    count++;
                }
            }
        }
        x.append("</quiz>\n");
        Files.writeString(file, x.toString(), StandardCharsets.UTF_8);
        return count;
    }

    private static void question(StringBuilder x, Quiz quiz, Question.Instance inst, int variant) {
        String type =
                switch (inst.kind()) {
                    case CHOICE -> "multichoice";
                    case NUMERIC -> "numerical";
                    default -> "shortanswer";
                };
        x.append("  <question type=\"").append(type).append("\">\n");
        x.append("    <name><text>")
                .append(
                        escape(
                                quiz.id()
                                        + " "
                                        + inst.questionId()
                                        + (inst.parameterised() ? " #" + (variant + 1) : "")))
                .append("</text></name>\n");
        x.append("    <questiontext format=\"html\"><text>")
                .append(cdata(both(inst.text())))
                .append("</text></questiontext>\n");
        x.append("    <generalfeedback format=\"html\"><text>")
                .append(cdata(both(inst.explain())))
                .append("</text></generalfeedback>\n");
        x.append("    <defaultgrade>1</defaultgrade>\n");
        switch (inst.kind()) {
            case CHOICE -> {
                x.append(
                        "    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n");
                int right = ((Number) inst.answer()).intValue();
                for (int i = 0; i < inst.options().size(); i++) {
                    x.append("    <answer fraction=\"")
                            .append(i == right ? 100 : 0)
                            .append("\" format=\"html\"><text>")
                            .append(cdata(both(inst.options().get(i).text())))
                            .append("</text></answer>\n");
                }
            }
            case NUMERIC ->
                    x.append("    <answer fraction=\"100\"><text>")
                            .append(Question.format(inst.answer()))
                            .append("</text><tolerance>")
                            .append(String.format(Locale.ROOT, "%s", inst.tolerance()))
                            .append("</tolerance></answer>\n");
            case SHAPE -> {
                long[] s = (long[]) inst.answer();
                x.append("    <usecase>0</usecase>\n");
                for (String form : shapeForms(s)) {
                    x.append("    <answer fraction=\"100\"><text>")
                            .append(escape(form))
                            .append("</text></answer>\n");
                }
            }
            default ->
                    x.append("    <usecase>1</usecase>\n    <answer fraction=\"100\"><text>")
                            .append(escape(String.valueOf(inst.answer())))
                            .append("</text></answer>\n");
        }
        x.append("  </question>\n");
    }

    /**
     * The ways a shape is commonly written: (4, 16, 14, 14), (4,16,14,14), [4, 16, 14, 14],
     * 4x16x14x14.
     */
    static List<String> shapeForms(long[] s) {
        List<String> parts = java.util.Arrays.stream(s).mapToObj(Long::toString).toList();
        return List.of(
                "(" + String.join(", ", parts) + ")",
                "(" + String.join(",", parts) + ")",
                "[" + String.join(", ", parts) + "]",
                "[" + String.join(",", parts) + "]",
                String.join("x", parts));
    }

    private static String both(Question.Text t) {
        return "<span lang=\"en\" class=\"multilang\">"
                + html(t.en())
                + "</span><span lang=\"zh_tw\" class=\"multilang\">"
                + html(t.zh())
                + "</span>";
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String cdata(String s) {
        return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
