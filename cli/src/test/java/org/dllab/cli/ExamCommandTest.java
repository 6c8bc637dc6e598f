package org.dllab.cli;

import static org.dllab.cli.MainTest.dllab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.dllab.grading.exam.ExamMaster;
import org.dllab.grading.exam.Paper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exam day through the CLI: generate papers for a class list, start, run, pack, grade. */
class ExamCommandTest {

    @TempDir Path tmp;

    @Test
    void checkListsTheSlotsAndListCountsThem() {
        MainTest.Outcome check = dllab("exam", "check", "midterm", "--root", "..");
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("midterm: 16 slots, 32 variants"), check.out());
        assertTrue(check.out().contains("loss-softmax    Losses.java:"), check.out());
        MainTest.Outcome unknown = dllab("exam", "check", "final", "--root", "..");
        assertEquals(1, unknown.code());
        assertTrue(
                unknown.err().contains("no exam 'final'") && unknown.err().contains("midterm"),
                unknown.err());
    }

    @Test
    void fromClassListToGradesOfTheClass() throws Exception {
        Path roster = tmp.resolve("roster.csv");
        Files.writeString(
                roster,
                "\uFEFF學號,姓名\n411000001,王小明\n411000002,陳小華\n\n411000003,林小美\n",
                StandardCharsets.UTF_8);
        Path exam = tmp.resolve("midterm-2026");
        MainTest.Outcome gen =
                dllab(
                        "exam",
                        "generate",
                        "midterm",
                        "--class",
                        roster.toString(),
                        "--out",
                        exam.toString(),
                        "--broken",
                        "5",
                        "--salt",
                        "s1",
                        "--root",
                        "..");
        assertEquals(0, gen.code(), gen.err());
        assertTrue(
                Files.isRegularFile(exam.resolve("papers/411000003.zip"))
                        && Files.isRegularFile(exam.resolve("key.json")));
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(exam.resolve("papers/411000001.zip").toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        assertTrue(
                names.contains("EXAM.md")
                        && names.contains(".dllab-exam.json")
                        && names.contains("src/main/java/org/dllab/exam/midterm/Losses.java"),
                names.toString());
        assertTrue(
                names.stream().noneMatch(n -> n.contains("key")),
                "the key never goes into a paper: " + names);
        MainTest.Outcome again =
                dllab(
                        "exam",
                        "generate",
                        "midterm",
                        "--class",
                        roster.toString(),
                        "--out",
                        exam.toString(),
                        "--root",
                        "..");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already generated"), again.err());

        // student 1 hands in the paper untouched; student 2 fixes everything; student 3 does not
        // hand in
        Path work1 = tmp.resolve("s1");
        Path work2 = tmp.resolve("s2");
        assertEquals(
                0,
                dllab(
                                "exam",
                                "start",
                                "--paper",
                                exam.resolve("papers/411000001.zip").toString(),
                                "--dir",
                                work1.toString())
                        .code());
        assertEquals(
                0,
                dllab(
                                "exam",
                                "start",
                                "--paper",
                                exam.resolve("papers/411000002.zip").toString(),
                                "--dir",
                                work2.toString())
                        .code());
        MainTest.Outcome busy =
                dllab(
                        "exam",
                        "start",
                        "--paper",
                        exam.resolve("papers/411000002.zip").toString(),
                        "--dir",
                        work2.toString());
        assertEquals(1, busy.code());
        assertTrue(busy.err().contains("not empty"), busy.err());
        ExamMaster master = ExamMaster.load(Path.of("../solutions"), "midterm");
        Paper.write(master, Paper.render(master, Map.of()), work2);
        assertTrue(Files.readString(work2.resolve("CONCEPTS.md")).contains("觀念題"));
        List<org.dllab.grading.quiz.Question.Instance> concepts =
                org.dllab.grading.exam.Concepts.load(Path.of("../solutions"), "midterm")
                        .paper("midterm", "411000002", "s1");
        StringBuilder answers = new StringBuilder();
        for (int i = 0; i < concepts.size(); i++) {
            answers.append(i + 1)
                    .append(": ")
                    .append(i == 0 ? "no idea" : concepts.get(i).answerText())
                    .append('\n'); // the first one wrong
        }
        Files.writeString(work2.resolve("answers.txt"), answers.toString());
        assertEquals(
                0,
                dllab("exam", "run", "--dir", work2.toString()).code(),
                "the fixed program runs");
        assertEquals(0, dllab("exam", "pack", "--dir", work1.toString()).code());
        assertEquals(0, dllab("exam", "pack", "--dir", work2.toString()).code());
        Path lms = tmp.resolve("lms");
        Files.createDirectories(lms.resolve("a"));
        Files.copy(work1.resolve("411000001-exam.zip"), lms.resolve("a/411000001-exam.zip"));
        Files.copy(work2.resolve("411000002-exam.zip"), lms.resolve("411000002-exam.zip"));

        MainTest.Outcome grade =
                dllab(
                        "exam",
                        "grade",
                        "midterm",
                        lms.toString(),
                        "--key",
                        exam.resolve("key.json").toString(),
                        "--out",
                        tmp.resolve("graded").toString(),
                        "--root",
                        "..");
        assertEquals(0, grade.code(), grade.err());
        List<String> csv = Files.readAllLines(tmp.resolve("graded/grades.csv"));
        assertTrue(csv.get(1).startsWith("411000001,0.0,5.0,0.0,"), csv.toString());
        assertTrue(
                csv.get(2).startsWith("411000002,5.0,5.0,100.0,")
                        && csv.get(2).contains(",5.0,6.0,10.0,11.0,"),
                csv.toString());
        assertTrue(
                csv.get(1).contains(",0.0,6.0,0.0,11.0,"), "no answers, no concept points: " + csv);
        assertTrue(
                csv.get(3).startsWith("411000003,0.0,5.0,0.0,")
                        && csv.get(3).contains("no submission"),
                csv.toString());
    }
}
