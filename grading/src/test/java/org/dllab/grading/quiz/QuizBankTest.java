package org.dllab.grading.quiz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The question bank: ten quizzes of at least five questions, at least half parameterised, and every
 * engine-computed answer equal to the closed-form formula over many draws (so neither DJL's
 * behaviour nor the bank's wording drifts unnoticed).
 */
class QuizBankTest {

    @Test
    void tenQuizzesOfFiveQuestionsHalfOfThemParameterised() throws Exception {
        assertEquals(10, Quiz.IDS.size());
        for (String id : Quiz.IDS) {
            Quiz q = Quiz.load(id);
            assertEquals(id, q.id());
            assertTrue(
                    q.questions().size() >= 5, id + " has " + q.questions().size() + " questions");
            long drawn = q.questions().stream().filter(x -> !x.params().isEmpty()).count();
            assertTrue(
                    2 * drawn >= q.questions().size(),
                    id + ": " + drawn + " of " + q.questions().size() + " parameterised");
        }
    }

    @Test
    void everyComputedAnswerMatchesItsFormulaOverManyDraws() throws Exception {
        int checked = 0;
        Set<String> functions = new HashSet<>();
        for (String id : Quiz.IDS) {
            Quiz quiz = Quiz.load(id);
            for (int s = 0; s < 25; s++) {
                List<Question.Instance> paper = quiz.paper("student-" + s, "");
                for (int i = 0; i < paper.size(); i++) {
                    Question q = quiz.questions().get(i);
                    Question.Instance inst = paper.get(i);
                    assertTrue(
                            inst.accepts(inst.answerText()),
                            id
                                    + "/"
                                    + q.id()
                                    + ": its own answer "
                                    + inst.answerText()
                                    + " is refused");
                    assertTrue(
                            !inst.text().en().contains("{") && !inst.explain().zh().contains("{"),
                            id + "/" + q.id() + ": a placeholder is left");
                    if (q.compute().isEmpty()) {
                        continue;
                    }
                    String fn = (String) q.compute().get("fn");
                    functions.add(fn);
                    Object want = reference(fn, q.arguments(inst.values()));
                    String where = id + "/" + q.id() + " " + inst.values();
                    if (want instanceof long[] shape) {
                        assertArrayEquals(shape, (long[]) inst.answer(), where);
                    } else {
                        double w = ((Number) want).doubleValue();
                        assertEquals(
                                w,
                                ((Number) inst.answer()).doubleValue(),
                                Math.max(1e-4, Math.abs(w) * 1e-5),
                                where);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "draws checked: " + checked);
        assertEquals(
                Computations.names(),
                new java.util.TreeSet<>(functions),
                "every computation is used by a question and checked");
    }

    @Test
    void papersAreSeededPerStudentAndSalt() throws Exception {
        Quiz w06 = Quiz.load("w06");
        Set<String> texts = new HashSet<>();
        IntStream.range(0, 20).forEach(s -> texts.add(w06.paper("s" + s, "").get(0).text().en()));
        assertTrue(
                texts.size() >= 15, "20 students, " + texts.size() + " different first questions");
        assertEquals(w06.paper("s1", "x").get(0).text(), w06.paper("s1", "x").get(0).text());
        assertNotEquals(
                List.of(w06.paper("s1", "a"), w06.paper("s2", "a")).get(0).get(0).text(),
                w06.paper("s1", "b").get(0).text());
    }

    @Test
    void responsesAreReadTheWayStudentsWriteThem() throws Exception {
        Question.Instance shape = Quiz.load("w06").paper("s1", "").get(0);
        long[] a = (long[]) shape.answer();
        assertTrue(shape.accepts(a[0] + "x" + a[1] + "x" + a[2] + "x" + a[3]));
        assertTrue(shape.accepts("[" + a[0] + "," + a[1] + "," + a[2] + "," + a[3] + "]"));
        assertTrue(!shape.accepts("(" + a[0] + ", " + a[1] + ")"));
        Question.Instance choice = Quiz.load("w06").paper("s1", "").get(3);
        int right = ((Number) choice.answer()).intValue();
        assertTrue(
                choice.accepts(Character.toString('a' + right))
                        && choice.accepts(Integer.toString(right + 1)));
        assertTrue(
                !choice.accepts(Character.toString('A' + (right + 1) % choice.options().size()))
                        && !choice.accepts(""));
        Question.Instance numeric = Quiz.load("w05").paper("s1", "").get(0);
        double v = ((Number) numeric.answer()).doubleValue();
        assertTrue(
                numeric.accepts(String.format(java.util.Locale.ROOT, "%.3f", v))
                        && numeric.accepts(
                                String.format(java.util.Locale.ROOT, "%.3f", v).replace('.', ',')));
        assertTrue(
                !numeric.accepts(String.format(java.util.Locale.ROOT, "%.3f", v + 0.01))
                        && !numeric.accepts("about one"));
    }

    @Test
    void malformedQuestionsAreRefusedWithTheirPlace() {
        String bad =
                "id: t\ntitle: {en: T, zh: 測}\nquestions:\n  - id: q1\n    kind: numeric\n    params: {a: [1, 2]}\n"
                        + "    compute: {fn: linear-params, in: $b, out: 3}\n    text: {en: x, zh: y}\n    explain: {en: x, zh: y}\n";
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Quiz.parse("t.yaml", bad));
        assertTrue(
                e.getMessage()
                        .contains(
                                "t.yaml, question q1: compute uses $b but there is no such parameter"),
                e.getMessage());
        String noZh =
                "id: t\ntitle: {en: T, zh: 測}\nquestions:\n  - id: q1\n    kind: choice\n    text: {en: x}\n";
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Quiz.parse("t.yaml", noZh))
                        .getMessage()
                        .contains("q1"));
        String twoRight =
                "id: t\ntitle: {en: T, zh: 測}\nquestions:\n  - id: q1\n    kind: choice\n    text: {en: x, zh: y}\n    explain: {en: x, zh: y}\n"
                        + "    options:\n      - {en: a, zh: a, correct: true}\n      - {en: b, zh: b, correct: true}\n";
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Quiz.parse("t.yaml", twoRight))
                        .getMessage()
                        .contains("exactly one option"));
    }

    /** The closed-form answer of each computation, written here without DJL. */
    @SuppressWarnings("unchecked")
    private static Object reference(String fn, Map<String, Object> a) {
        java.util.function.Function<String, Double> n = k -> ((Number) a.get(k)).doubleValue();
        java.util.function.Function<String, Long> i = k -> Math.round(n.apply(k));
        java.util.function.Function<String, double[]> list =
                k -> ((List<Number>) a.get(k)).stream().mapToDouble(Number::doubleValue).toArray();
        java.util.function.BiFunction<Long, long[], Long> out =
                (in, ksp) -> (in + 2 * ksp[2] - ksp[0]) / ksp[1] + 1;
        switch (fn) {
            case "linear-params":
                return i.apply("in") * i.apply("out") + i.apply("out");
            case "mlp-params":
                return (i.apply("in") + 1) * i.apply("hidden")
                        + (i.apply("hidden") + 1) * i.apply("out");
            case "conv2d-output":
                {
                    long o =
                            out.apply(
                                    i.apply("size"),
                                    new long[] {
                                        i.apply("kernel"), i.apply("stride"), i.apply("padding")
                                    });
                    return new long[] {i.apply("batch"), i.apply("filters"), o, o};
                }
            case "conv2d-params":
                return i.apply("kernel")
                                * i.apply("kernel")
                                * i.apply("channels")
                                * i.apply("filters")
                        + i.apply("filters");
            case "maxpool-output":
                {
                    long o =
                            out.apply(
                                    i.apply("size"),
                                    new long[] {
                                        i.apply("kernel"), i.apply("stride"), i.apply("padding")
                                    });
                    return new long[] {i.apply("batch"), i.apply("channels"), o, o};
                }
            case "patch-tokens":
                return (i.apply("size") / i.apply("patch")) * (i.apply("size") / i.apply("patch"))
                        + 1;
            case "batchnorm-trainable-params":
                return 2 * i.apply("channels");
            case "rnn-params":
            case "lstm-params":
            case "gru-params":
                {
                    long gates = fn.equals("rnn-params") ? 1 : fn.equals("lstm-params") ? 4 : 3;
                    long h = i.apply("hidden");
                    return gates * (h * i.apply("in") + h * h + 2 * h);
                }
            case "lstm-output":
                return new long[] {i.apply("batch"), i.apply("steps"), i.apply("hidden")};
            case "attention-params":
                return 4 * (i.apply("d") * i.apply("d") + i.apply("d"));
            case "matmul-shape":
                return new long[] {i.apply("m"), i.apply("n")};
            case "cls-token-shape":
                return new long[] {i.apply("batch"), i.apply("width")};
            case "kv-cache-values":
                return 2 * i.apply("layers") * i.apply("tokens") * i.apply("d");
            case "softmax":
            case "softmax-temperature":
                {
                    double t = fn.equals("softmax") ? 1 : n.apply("temperature");
                    double[] x = list.apply("logits");
                    double z = 0;
                    for (double v : x) {
                        z += Math.exp(v / t);
                    }
                    return Math.exp(x[Math.toIntExact(i.apply("index"))] / t) / z;
                }
            case "cross-entropy":
                {
                    double[] x = list.apply("logits");
                    double z = 0;
                    for (double v : x) {
                        z += Math.exp(v);
                    }
                    return Math.log(z) - x[Math.toIntExact(i.apply("label"))];
                }
            case "binary-cross-entropy":
                {
                    double p = 1 / (1 + Math.exp(-n.apply("logit")));
                    return i.apply("label") == 1 ? -Math.log(p) : -Math.log(1 - p);
                }
            case "mse":
                {
                    double[] p = list.apply("prediction");
                    double[] t = list.apply("target");
                    double s = 0;
                    for (int k = 0; k < p.length; k++) {
                        s += (p[k] - t[k]) * (p[k] - t[k]);
                    }
                    return s / p.length;
                }
            case "sigmoid":
                return 1 / (1 + Math.exp(-n.apply("x")));
            case "sigmoid-derivative":
                {
                    double s = 1 / (1 + Math.exp(-n.apply("x")));
                    return s * (1 - s);
                }
            case "relu-unit-derivative-w":
                return n.apply("w") * n.apply("x") + n.apply("b") > 0 ? n.apply("x") : 0.0;
            case "gd-step":
                return n.apply("w") - n.apply("lr") * 2 * (n.apply("w") - n.apply("target"));
            case "weight-decay-gradient":
                return n.apply("lambda") * n.apply("w");
            case "momentum-two-steps":
                {
                    double v1 = n.apply("g1");
                    double w1 = n.apply("w") - n.apply("lr") * v1;
                    double v2 = n.apply("mu") * v1 + n.apply("g2");
                    return w1 - n.apply("lr") * v2;
                }
            case "adam-correction":
                return 1 / (1 - Math.pow(n.apply("beta"), n.apply("t")));
            case "cosine-lr":
                return n.apply("lr")
                        * (1 + Math.cos(Math.PI * n.apply("step") / n.apply("total")))
                        / 2;
            case "batchnorm-value":
                {
                    double[] x = list.apply("batch");
                    double mean = java.util.Arrays.stream(x).average().orElseThrow();
                    double var =
                            java.util.Arrays.stream(x)
                                    .map(v -> (v - mean) * (v - mean))
                                    .average()
                                    .orElseThrow();
                    return (x[Math.toIntExact(i.apply("index"))] - mean) / Math.sqrt(var + 1e-5);
                }
            case "attention-score":
                {
                    double[] q = list.apply("q");
                    double[] k = list.apply("k");
                    double d = 0;
                    for (int j = 0; j < q.length; j++) {
                        d += q[j] * k[j];
                    }
                    return d / Math.sqrt(q.length);
                }
            case "perplexity":
                return Math.exp(n.apply("loss"));
            default:
                throw new AssertionError("no reference for " + fn);
        }
    }
}
