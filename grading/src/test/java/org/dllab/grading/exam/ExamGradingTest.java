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
 * A class of papers graded as one batch with the real grader (sandbox, child JVM, signed results): each student gets
 * what their submission earned on their own paper.
 */
class ExamGradingTest {

    @Test
    void aClassOfTwentyPapersIsGradedByWhatEachFixed(@TempDir Path tmp) throws Exception {
        ExamMaster master = ExamMaster.load(Path.of("../solutions"), "midterm");
        List<String> students = java.util.stream.IntStream.range(0, 20).mapToObj(i -> String.format("4110%05d", i)).toList();
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
                    submit(master, paper.entrySet().stream().skip(fixed)
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)), dir);
                    expected.put(id, (double) fixed);
                }
                case 3 -> { // all fixed, but a working part broken: 8 - 1
                    BugSlot working = master.slots().stream().filter(s -> !paper.containsKey(s.id())).findFirst().orElseThrow();
                    brokenByStudent = brokenByStudent == null ? working : brokenByStudent;
                    submit(master, Map.of(working.id(), working.variants().get(1).id()), dir);
                    expected.put(id, 7.0);
                }
                default -> {
                    if (absent == null) { // nothing handed in
                        absent = id;
                    } else { // handed in code that does not compile
                        noCompile = id;
                        Files.writeString(submit(master, Map.of(), dir).resolve("Losses.java"), "this is not Java");
                    }
                    expected.put(id, 0.0);
                }
            }
        }

        long start = System.nanoTime();
        List<ExamGrading.Result> results = new ExamGrading(new Grader(tmp.resolve("unused"), 300), master, key)
                .gradeClass(subs, tmp.resolve("out"), System.out);
        System.out.printf(java.util.Locale.ROOT, "20 papers graded in %.0f s%n", (System.nanoTime() - start) / 1e9);
        Map<String, Double> score = results.stream().collect(Collectors.toMap(ExamGrading.Result::student, ExamGrading.Result::score));
        assertEquals(expected, new LinkedHashMap<>(students.stream().collect(Collectors.toMap(s -> s, score::get, (a, b) -> a, LinkedHashMap::new))));
        String absentId = absent;
        String noCompileId = noCompile;
        assertTrue(results.stream().filter(r -> r.student().equals(absentId)).findFirst().orElseThrow().notes().get(0).startsWith("no submission"));
        assertTrue(results.stream().filter(r -> r.student().equals(noCompileId)).findFirst().orElseThrow().notes().get(0).contains("does not compile"));

        String csv = Files.readString(tmp.resolve("out/grades.csv"));
        assertTrue(csv.lines().anyMatch(l -> l.startsWith(students.get(3) + ",7.0,8.0,87.5,") && l.contains("broken")), csv);
        String feedback = Files.readString(tmp.resolve("out/students/" + students.get(3) + "/feedback.md"));
        assertTrue(feedback.contains(brokenByStudent.english()) && feedback.contains(brokenByStudent.chinese()) && feedback.contains("-1"), feedback);
        assertTrue(Files.readString(tmp.resolve("out/summary.md")).contains("| " + brokenByStudent.id() + " |"));

        // resumable: a second run grades nobody again
        long before = Files.getLastModifiedTime(tmp.resolve("out/students/" + students.get(1) + "/result.json")).toMillis();
        new ExamGrading(new Grader(tmp.resolve("unused"), 300), master, key).gradeClass(subs, tmp.resolve("out"), System.out);
        assertEquals(before, Files.getLastModifiedTime(tmp.resolve("out/students/" + students.get(1) + "/result.json")).toMillis());
    }

    private static Path submit(ExamMaster master, Map<String, String> broken, Path dir) throws Exception {
        return Paper.write(master, Paper.render(master, broken), dir);
    }
}
