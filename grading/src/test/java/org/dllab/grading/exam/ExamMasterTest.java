package org.dllab.grading.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bug-marker grammar, papers and the per-student choice. */
class ExamMasterTest {

    private static final String GOOD =
            String.join(
                    "\n",
                    "class A {",
                    "    int f(int x) {",
                    "        // BUG plus-one",
                    "        // en: adds one",
                    "        // zh: 加一",
                    "        return x + 1;",
                    "        // VARIANT minus: subtracts",
                    "        // > return x - 1;",
                    "        // VARIANT nested: two lines",
                    "        // > int y = x;",
                    "        // >     return y;",
                    "        // END BUG",
                    "    }",
                    "}",
                    "");

    @Test
    void parsesSlotsAndRendersPapersWithoutMarkers() {
        ExamMaster m = ExamMaster.parse("t", "p", Map.of("A.java", GOOD));
        BugSlot s = m.slot("plus-one");
        assertEquals(3, s.line());
        assertEquals("adds one", s.english());
        assertEquals("加一", s.chinese());
        assertEquals(
                List.of("minus", "nested"),
                s.variants().stream().map(BugSlot.Variant::id).toList());
        assertEquals(
                "class A {\n    int f(int x) {\n        return x + 1;\n    }\n}\n",
                Paper.render(m, Map.of()).get("A.java"));
        assertEquals(
                "class A {\n    int f(int x) {\n        int y = x;\n            return y;\n    }\n}\n",
                Paper.render(m, Map.of("plus-one", "nested")).get("A.java"));
        assertThrows(
                IllegalArgumentException.class, () -> Paper.render(m, Map.of("plus-one", "nope")));
    }

    @Test
    void everyMalformedMarkerIsReportedWithFileAndLine() {
        String bad =
                String.join(
                        "\n",
                        "// VARIANT stray: outside", // 1
                        "// BUG a", // 2: no zh, no variant
                        "// en: x",
                        "int a;",
                        "// END BUG",
                        "// BUG b", // 6
                        "// en: x",
                        "// zh: 乙",
                        "int b;",
                        "// VARIANT same: identical", // 10
                        "// > int b;",
                        "// VARIANT v: not code",
                        "int c;", // 13
                        "// END BUG",
                        "// BUG a", // 15: duplicate id
                        "// en: y",
                        "// zh: 丙",
                        "// VARIANT w: a variant",
                        "// > int d;",
                        "// END BUG",
                        "// BUG c", // 21: no END
                        "// en: z");
        ExamFormatException e =
                assertThrows(
                        ExamFormatException.class,
                        () -> ExamMaster.parse("t", "p", Map.of("B.java", bad)));
        String all = String.join("\n", e.problems());
        for (String want :
                List.of(
                        "B.java:1: '// VARIANT stray: outside' outside a // BUG block",
                        "B.java:2: slot a has no '// zh: ...' description",
                        "B.java:2: slot a has no // VARIANT",
                        "B.java:6: slot b: variant same is the same code as the master",
                        "B.java:13: in variant v of slot b, every line must be '// > code'",
                        "B.java:21: slot c has no // END BUG",
                        "B.java:15: slot id 'a' is already used at B.java:2")) {
            assertTrue(all.contains(want), "missing problem '" + want + "' in:\n" + all);
        }
    }

    @Test
    void papersAreSeededByStudentAndSaltAndDiffer() throws Exception {
        ExamMaster m = ExamMaster.load(Path.of("../solutions"), "midterm");
        List<String> students = IntStream.range(0, 20).mapToObj(i -> "s" + (411000 + i)).toList();
        ExamKey key = ExamKey.choose(m, students, "salt-1", 8);
        Set<Map<String, String>> distinct = new HashSet<>(key.papers().values());
        assertEquals(20, distinct.size(), "20 students, 20 different papers");
        key.papers().values().forEach(p -> assertEquals(8, p.size()));
        assertEquals(
                key.papers().get("s411003"),
                ExamKey.paper(m, "s411003", "salt-1", 8),
                "the same paper again from id and salt");
        assertNotEquals(
                key.papers().get("s411003"),
                ExamKey.paper(m, "s411003", "salt-2", 8),
                "another salt, another paper");
        assertThrows(
                IllegalArgumentException.class, () -> ExamKey.choose(m, List.of("a", "a"), "s", 3));
        assertThrows(
                IllegalArgumentException.class, () -> ExamKey.choose(m, List.of("a"), "s", 99));
    }
}
