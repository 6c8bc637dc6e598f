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
    void aClassOfPapersIsGradedByWhatEachFixed(@TempDir Path tmp) throws Exception {
        ExamMaster master = ExamMaster.load(Path.of("../solutions"), "midterm");
        List<String> students = List.of("untouched", "all-fixed", "half-fixed", "fixed-but-broke-one", "absent", "no-compile");
        ExamKey key = ExamKey.choose(master, students, "test-salt", 6);
        Path subs = tmp.resolve("submissions");
        submit(master, key.papers().get("untouched"), subs.resolve("untouched"));
        submit(master, Map.of(), subs.resolve("all-fixed"));
        Map<String, String> half = key.papers().get("half-fixed").entrySet().stream().skip(3)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        submit(master, half, subs.resolve("half-fixed"));
        BugSlot working = master.slots().stream().filter(s -> !key.papers().get("fixed-but-broke-one").containsKey(s.id())).findFirst().orElseThrow();
        submit(master, Map.of(working.id(), working.variants().get(0).id()), subs.resolve("fixed-but-broke-one"));
        Path bad = submit(master, Map.of(), subs.resolve("no-compile"));
        Files.writeString(bad.resolve("Losses.java"), "this is not Java");

        List<ExamGrading.Result> results = new ExamGrading(new Grader(tmp.resolve("unused"), 300), master, key)
                .gradeClass(subs, tmp.resolve("out"), System.out);
        Map<String, Double> score = results.stream().collect(Collectors.toMap(ExamGrading.Result::student, ExamGrading.Result::score));
        assertEquals(Map.of("untouched", 0.0, "all-fixed", 6.0, "half-fixed", 3.0, "fixed-but-broke-one", 5.0, "absent", 0.0, "no-compile", 0.0), score);
        ExamGrading.Result absent = results.stream().filter(r -> r.student().equals("absent")).findFirst().orElseThrow();
        assertTrue(absent.notes().get(0).startsWith("no submission"), absent.notes().toString());
        ExamGrading.Result noCompile = results.stream().filter(r -> r.student().equals("no-compile")).findFirst().orElseThrow();
        assertTrue(noCompile.notes().get(0).contains("does not compile"), noCompile.notes().toString());

        String csv = Files.readString(tmp.resolve("out/grades.csv"));
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("fixed-but-broke-one,5.0,6.0,83.3,") && l.contains("broken")), csv);
        String feedback = Files.readString(tmp.resolve("out/students/fixed-but-broke-one/feedback.md"));
        assertTrue(feedback.contains(working.english()) && feedback.contains(working.chinese()) && feedback.contains("-1"), feedback);
        assertTrue(Files.readString(tmp.resolve("out/summary.md")).contains("| " + working.id() + " |"));

        // resumable: a second run grades nobody again
        long before = Files.getLastModifiedTime(tmp.resolve("out/students/all-fixed/result.json")).toMillis();
        new ExamGrading(new Grader(tmp.resolve("unused"), 300), master, key).gradeClass(subs, tmp.resolve("out"), System.out);
        assertEquals(before, Files.getLastModifiedTime(tmp.resolve("out/students/all-fixed/result.json")).toMillis());
    }

    private static Path submit(ExamMaster master, Map<String, String> broken, Path dir) throws Exception {
        return Paper.write(master, Paper.render(master, broken), dir);
    }
}
