package org.dllab.cli;

import static org.dllab.cli.MainTest.dllab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.dllab.grading.quiz.Question;
import org.dllab.grading.quiz.Quiz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The quiz commands: practice in the terminal, Moodle export, grading collected answers against
 * each student's variant.
 */
class QuizCommandTest {

    @TempDir Path tmp;

    @Test
    void takeChecksEachAnswerAndCollectsTheRow() throws Exception {
        List<Question.Instance> paper = Quiz.load("w05").paper("411000007", "");
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < paper.size(); i++) {
            input.append(i == 1 ? "0.5" : paper.get(i).answerText())
                    .append('\n'); // the second answer wrong (no softmax here gives exactly 0.5)
        }
        InputStream stdin = System.in;
        Path answers = tmp.resolve("answers.csv");
        MainTest.Outcome o;
        try {
            System.setIn(
                    new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)));
            o =
                    dllab(
                            "quiz",
                            "take",
                            "w05",
                            "--student",
                            "411000007",
                            "--lang",
                            "en",
                            "--answers",
                            answers.toString());
        } finally {
            System.setIn(stdin);
        }
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("4 / 5 right."), o.out());
        assertTrue(
                o.out().contains("Not quite. 不對。答案 answer: " + paper.get(1).answerText()), o.out());

        Path grades = tmp.resolve("grades.csv");
        Files.writeString(answers, "411000008,,,,,\n", StandardOpenOptionHolder.APPEND);
        MainTest.Outcome g =
                dllab("quiz", "grade", "w05", answers.toString(), "--out", grades.toString());
        assertEquals(0, g.code(), g.err());
        List<String> rows = Files.readAllLines(grades);
        assertTrue(rows.get(1).startsWith("411000007,4,5,80.0,1,0,1,1,1"), rows.toString());
        assertTrue(rows.get(2).startsWith("411000008,0,5,0.0,"), rows.toString());
    }

    @Test
    void moodleExportHasACategoryPerQuestionWithDrawnVariants() throws Exception {
        Path xml = tmp.resolve("w06.xml");
        MainTest.Outcome o =
                dllab("quiz", "export", "w06", "--moodle", xml.toString(), "--variants", "5");
        assertEquals(0, o.code(), o.err());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList qs = d.getElementsByTagName("question");
        int categories = 0;
        int numerical = 0;
        int shapes = 0;
        for (int i = 0; i < qs.getLength(); i++) {
            Element q = (Element) qs.item(i);
            switch (q.getAttribute("type")) {
                case "category" -> categories++;
                case "numerical" -> numerical++;
                case "shortanswer" -> shapes++;
                default -> {}
            }
        }
        assertEquals(5, categories);
        assertEquals(5, numerical, "the one numeric question, 5 variants");
        assertEquals(10, shapes, "two shape questions, 5 variants each");
        assertTrue(
                Files.readString(xml).contains("class=\"multilang\">一個 Conv2d"), "bilingual text");
        assertTrue(o.out().contains("Wrote 17 Moodle questions"), o.out());
    }

    @Test
    void unknownQuizOrColumnIsAClearError() throws Exception {
        MainTest.Outcome o = dllab("quiz", "take", "w09");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("no quiz 'w09'") && o.err().contains("w10"), o.err());
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "student,q1,q9\nx,1,2\n");
        MainTest.Outcome g =
                dllab(
                        "quiz",
                        "grade",
                        "w06",
                        bad.toString(),
                        "--out",
                        tmp.resolve("g.csv").toString());
        assertEquals(1, g.code());
        assertTrue(g.err().contains("bad.csv:1: column 3 'q9' is not a question of w06"), g.err());
    }

    /** Keeps the imports short. */
    private static final class StandardOpenOptionHolder {
        static final java.nio.file.OpenOption APPEND = java.nio.file.StandardOpenOption.APPEND;
    }
}
