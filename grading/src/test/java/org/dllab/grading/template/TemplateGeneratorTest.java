package org.dllab.grading.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateGeneratorTest {

    private static final String SOLUTION =
            String.join(
                    "\n",
                    "class Relu {",
                    "    double forward(double x) {",
                    "        // BEGIN SOLUTION 計算 ReLU | compute ReLU",
                    "        double y = Math.max(0, x);",
                    "        return y;",
                    "        // END SOLUTION",
                    "    }",
                    "    double slope(double x) {",
                    "        double s = x > 0 ? 1 : 0; // SOLUTION 導數 | the derivative",
                    "        return s;",
                    "    }",
                    "    /* BEGIN PROMPT",
                    "    // starter code for students",
                    "    END PROMPT */",
                    "    // BEGIN HIDDEN",
                    "    static final String ANSWER = \"secret\";",
                    "    // END HIDDEN",
                    "}",
                    "");

    @Test
    void blocksBecomeThrowsExpressionsBecomeTodosPromptsAppearAndHiddenLinesGo() {
        TemplateGenerator.Result r = TemplateGenerator.transform(SOLUTION, "Relu.java", "hw1", 1);
        String t = r.text();
        assertTrue(
                t.contains(
                        "        // TODO(hw1-1): 計算 ReLU / compute ReLU\n        throw new UnsupportedOperationException(\"TODO(hw1-1): compute ReLU\");\n    }"),
                t);
        assertFalse(t.contains("Math.max"), t);
        assertTrue(
                t.contains(
                        "double s = org.dllab.homework.Todo.value(\"hw1-2: the derivative\"); // TODO(hw1-2): 導數 / the derivative"),
                t);
        assertTrue(t.contains("    // starter code for students\n"), t);
        assertFalse(t.contains("PROMPT"), t);
        assertFalse(t.contains("secret") || t.contains("HIDDEN"), t);
        assertTrue(t.endsWith("}\n"), "the file keeps its final newline");
        assertEquals(List.of("hw1-1", "hw1-2"), r.blanks().stream().map(BlankInfo::id).toList());
        assertEquals(3, r.blanks().get(0).line());
        assertEquals("計算 ReLU", r.blanks().get(0).zh());
    }

    @Test
    void fileWithoutMarkersIsUnchanged() {
        String plain = "class A {\n  int x = 1;\n}\n";
        assertEquals(plain, TemplateGenerator.transform(plain, "A.java", "hw1", 1).text());
    }

    @Test
    void markerErrorsNameFileAndLine() {
        TemplateException unclosed =
                assertThrows(
                        TemplateException.class,
                        () ->
                                TemplateGenerator.transform(
                                        "a\n// BEGIN SOLUTION 中 | en\nb\n", "X.java", "hw1", 1));
        assertTrue(unclosed.getMessage().startsWith("X.java:2:"), unclosed.getMessage());
        TemplateException stray =
                assertThrows(
                        TemplateException.class,
                        () ->
                                TemplateGenerator.transform(
                                        "a\n// END SOLUTION\n", "X.java", "hw1", 1));
        assertTrue(stray.getMessage().startsWith("X.java:2:"), stray.getMessage());
        TemplateException nested =
                assertThrows(
                        TemplateException.class,
                        () ->
                                TemplateGenerator.transform(
                                        "// BEGIN SOLUTION 中 | en\n// BEGIN SOLUTION 中 | en\n// END SOLUTION\n",
                                        "X.java",
                                        "hw1",
                                        1));
        assertTrue(nested.getMessage().startsWith("X.java:2: nested"), nested.getMessage());
        TemplateException noHint =
                assertThrows(
                        TemplateException.class,
                        () ->
                                TemplateGenerator.transform(
                                        "// BEGIN SOLUTION only english\n// END SOLUTION\n",
                                        "X.java",
                                        "hw1",
                                        1));
        assertTrue(
                noHint.getMessage().contains("Traditional Chinese and English"),
                noHint.getMessage());
        TemplateException badInline =
                assertThrows(
                        TemplateException.class,
                        () ->
                                TemplateGenerator.transform(
                                        "foo(); // SOLUTION 中 | en\n", "X.java", "hw1", 1));
        assertTrue(badInline.getMessage().startsWith("X.java:1:"), badInline.getMessage());
        assertThrows(
                TemplateException.class,
                () -> TemplateGenerator.transform("/* BEGIN PROMPT\nx\n", "X.java", "hw1", 1));
        assertThrows(
                TemplateException.class,
                () -> TemplateGenerator.transform("// END HIDDEN\n", "X.java", "hw1", 1));
    }

    @Test
    void numberingContinuesAcrossFiles() {
        TemplateGenerator.Result r =
                TemplateGenerator.transform("x = 1; // SOLUTION 中 | en\n", "B.java", "hw2", 7);
        assertEquals("hw2-7", r.blanks().get(0).id());
    }
}
