package org.dllab.grading.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dllab.grading.submission.Grader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class of papers graded as one batch with the real grader (sandbox, child JVM, signed results):
 * each student gets what their submission earned on their own paper.
 */
class ExamGradingTest {

    @Test
    void aClassOfTwentyPapersIsGradedByWhatEachFixed(@TempDir Path tmp) throws Exception {
        ExamMaster master = ExamMaster.load(Path.of("../solutions"), "midterm");
        List<String> students =
                java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> String.format("4110%05d", i))
                        .toList();
        ExamKey key = ExamKey.choose(master, students, "class-of-20", 8);
        Path subs = tmp.resolve("submissions");
        Map<String, Double> expected = new LinkedHashMap<>();
        String absent = null;
        String noCompile = null;
        BugSlot brokenByStudent = null;
        for (int i = 0; i < students.size(); i++) {
            String id = students.get(i);
            Map<String, String> paper = key.papers().get(id);
            Path dir = subs.resolve("lms-" + (i % 3)).resolve(id); // LMS exports nest submissions
            switch (i % 5) {
                case 0 -> { // untouched, handed in as given
                    submit(master, paper, dir);
                    expected.put(id, 0.0);
                }
                case 1 -> { // every mistake fixed
                    submit(master, Map.of(), dir);
                    expected.put(id, 8.0);
                }
                case 2 -> { // the first i % 8 mistakes fixed, the rest left
                    int fixed = i % 8;
                    submit(
                            master,
                            paper.entrySet().stream()
                                    .skip(fixed)
                                    .collect(
                                            Collectors.toMap(
                                                    Map.Entry::getKey,
                                                    Map.Entry::getValue,
                                                    (a, b) -> a,
                                                    LinkedHashMap::new)),
                            dir);
                    expected.put(id, (double) fixed);
                }
                case 3 -> { // all fixed, but a working part broken: 8 - 1
                    BugSlot working =
                            master.slots().stream()
                                    .filter(s -> !paper.containsKey(s.id()))
                                    .findFirst()
                                    .orElseThrow();
                    brokenByStudent = brokenByStudent == null ? working : brokenByStudent;
                    submit(master, Map.of(working.id(), working.variants().get(1).id()), dir);
                    expected.put(id, 7.0);
                }
                default -> {
                    if (absent == null) { // nothing handed in
                        absent = id;
                    } else { // handed in code that does not compile
                        noCompile = id;
                        Files.writeString(
                                submit(master, Map.of(), dir).resolve("Losses.java"),
                                "this is not Java");
                    }
                    expected.put(id, 0.0);
                }
            }
        }

        long start = System.nanoTime();
        List<ExamGrading.Result> results =
                new ExamGrading(new Grader(tmp.resolve("unused"), 300), master, key)
                        .gradeClass(subs, tmp.resolve("out"), System.out);
        System.out.printf(
                java.util.Locale.ROOT,
                "20 papers graded in %.0f s%n",
                (System.nanoTime() - start) / 1e9);
        Map<String, Double> score =
                results.stream()
                        .collect(
                                Collectors.toMap(
                                        ExamGrading.Result::student, ExamGrading.Result::score));
        assertEquals(
                expected,
                new LinkedHashMap<>(
                        students.stream()
                                .collect(
                                        Collectors.toMap(
                                                s -> s,
                                                score::get,
                                                (a, b) -> a,
                                                LinkedHashMap::new))));
        String absentId = absent;
        String noCompileId = noCompile;
        assertTrue(
                results.stream()
                        .filter(r -> r.student().equals(absentId))
                        .findFirst()
                        .orElseThrow()
                        .notes()
                        .get(0)
                        .startsWith("no submission"));
        assertTrue(
                results.stream()
                        .filter(r -> r.student().equals(noCompileId))
                        .findFirst()
                        .orElseThrow()
                        .notes()
                        .get(0)
                        .contains("does not compile"));

        String csv = Files.readString(tmp.resolve("out/grades.csv"));
        assertTrue(
                csv.lines()
                        .anyMatch(
                                l ->
                                        l.startsWith(students.get(3) + ",7.0,8.0,87.5,")
                                                && l.contains("broken")),
                csv);
        String feedback =
                Files.readString(tmp.resolve("out/students/" + students.get(3) + "/feedback.md"));
        assertTrue(
                feedback.contains(brokenByStudent.english())
                        && feedback.contains(brokenByStudent.chinese())
                        && feedback.contains("-1"),
                feedback);
        assertTrue(
                Files.readString(tmp.resolve("out/summary.md"))
                        .contains("| " + brokenByStudent.id() + " |"));

        // resumable: a second run grades nobody again
        long before =
                Files.getLastModifiedTime(
                                tmp.resolve("out/students/" + students.get(1) + "/result.json"))
                        .toMillis();
        new ExamGrading(new Grader(tmp.resolve("unused"), 300), master, key)
                .gradeClass(subs, tmp.resolve("out"), System.out);
        assertEquals(
                before,
                Files.getLastModifiedTime(
                                tmp.resolve("out/students/" + students.get(1) + "/result.json"))
                        .toMillis());
    }

    /**
     * Graded as the CLI grades (the key's folder, the submissions and the reports hidden from
     * student code), a paper that tries to read the answer key and another student's submission
     * gets nothing, and nothing leaks into any report.
     */
    @Test
    void aPaperCannotReadTheKeyOrAnotherStudentsWork(@TempDir Path tmp) throws Exception {
        ExamMaster master = ExamMaster.load(Path.of("../solutions"), "midterm");
        ExamKey key = ExamKey.choose(master, List.of("spy", "victim"), "SALT-NOT-FOR-STUDENTS", 4);
        Path examDir = tmp.resolve("exam");
        Files.createDirectories(examDir);
        key.write(examDir.resolve(ExamKey.FILE));
        Path subs = tmp.resolve("submissions");
        Path victim = submit(master, Map.of(), subs.resolve("victim"));
        Files.writeString(
                victim.resolve("Adam.java"),
                Files.readString(victim.resolve("Adam.java")) + "// VICTIM-SECRET\n");
        Path spy = submit(master, Map.of(), subs.resolve("spy"));
        String loot =
                "for (String f : new String[] {\""
                        + examDir.resolve(ExamKey.FILE).toAbsolutePath()
                        + "\", \""
                        + victim.resolve("Adam.java").toAbsolutePath()
                        + "\"}) {\n"
                        + "            try {\n"
                        + "                String s = java.nio.file.Files.readString(java.nio.file.Path.of(f));\n"
                        + "                throw new IllegalStateException(\"LEAK<\" + s + \">\");\n"
                        + "            } catch (java.io.IOException | SecurityException blocked) {\n"
                        + "                // what the sandbox must do\n"
                        + "            }\n"
                        + "        }\n        int classes";
        Path losses = spy.resolve("Losses.java");
        Files.writeString(
                losses,
                Files.readString(losses)
                        .replaceFirst(
                                "int classes", java.util.regex.Matcher.quoteReplacement(loot)));
        Path out = tmp.resolve("out");
        Grader grader = new Grader(tmp.resolve("unused"), 300, List.of(examDir, subs, out));
        List<ExamGrading.Result> results =
                new ExamGrading(grader, master, key).gradeClass(subs, out, System.out);
        ExamGrading.Result spyResult =
                results.stream().filter(r -> r.student().equals("spy")).findFirst().orElseThrow();
        assertTrue(
                spyResult.slots().stream()
                        .filter(x -> x.slot().startsWith("loss-"))
                        .allMatch(ExamGrading.SlotResult::passes),
                "the reads failed, so the loss checks pass: " + spyResult.slots());
        try (var walk = Files.walk(out)) {
            for (Path f :
                    walk.filter(Files::isRegularFile)
                            .filter(f -> !f.toString().contains("/work/"))
                            .toList()) {
                String text = Files.readString(f);
                assertTrue(
                        !text.contains("LEAK<")
                                && !text.contains("SALT-NOT-FOR-STUDENTS")
                                && !text.contains("VICTIM-SECRET"),
                        f + " leaks");
            }
        }

        // the attack is real: with neither the sandbox nor the security manager, the same paper
        // reads the key
        var flag =
                org.dllab.grading.runner.HomeworkRunner.class.getDeclaredField(
                        "withoutSecurityManagerForTests");
        flag.setAccessible(true);
        flag.set(null, true);
        try {
            ExamGrading.Result open =
                    new ExamGrading(
                                    grader.withSandbox(org.dllab.grading.runner.Sandbox.Mode.OFF),
                                    master,
                                    key)
                            .grade("spy", subs.resolve("spy"), tmp.resolve("open"));
            assertTrue(
                    open.slots().stream()
                            .anyMatch(
                                    x ->
                                            x.message().contains("LEAK<")
                                                    && x.message()
                                                            .contains("SALT-NOT-FOR-STUDENTS")),
                    "unprotected, the paper reads the key: " + open.slots());
        } finally {
            flag.set(null, false);
        }
    }

    private static Path submit(ExamMaster master, Map<String, String> broken, Path dir)
            throws Exception {
        return Paper.write(master, Paper.render(master, broken), dir);
    }
}
