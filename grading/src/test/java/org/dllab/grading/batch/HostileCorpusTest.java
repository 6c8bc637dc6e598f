package org.dllab.grading.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.Sandbox;
import org.dllab.grading.submission.Grader;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus: honest and hostile HW1 submissions graded together as one class. Every honest
 * student keeps the score they earned, every hostile one gets exactly what it earned plus a note
 * saying why, the batch finishes, no row is lost, no file outside the sandbox changes and no
 * process is left behind.
 *
 * <p>{@code DLLAB_HOSTILE_HONEST=30} grades 30 honest students with the corpus (the benchmark in
 * {@code docs/grading-security.md}); the default keeps CI quick.
 */
class HostileCorpusTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");

    @TempDir Path tmp;

    @Test
    void theClassSurvivesEveryHostileSubmission() throws Exception {
        TestData.require(DatasetCatalog.MNIST);
        int honest = Integer.parseInt(System.getenv().getOrDefault("DLLAB_HOSTILE_HONEST", "3"));
        Path export = tmp.resolve("export");
        Path out = tmp.resolve("out");
        Path graderOwned = Files.createDirectories(tmp.resolve("grader-owned"));
        HostileCorpus corpus =
                new HostileCorpus(export, graderOwned, honest, Sandbox.check().works());
        // secrets a confidentiality case tries to read: a file in the grader's home and one beside
        // the repository
        List<Path> planted = new ArrayList<>();
        List<String> markers =
                new ArrayList<>(
                        List.of(
                                System.getenv()
                                        .getOrDefault(
                                                HostileCorpus.SECRET_VARIABLE,
                                                "no-secret-variable-set")));
        for (Path dir :
                List.of(
                        Path.of(System.getProperty("user.home")),
                        Path.of("..", "..").toAbsolutePath().normalize())) {
            String marker = "grader-secret-" + java.util.UUID.randomUUID();
            try {
                planted.add(
                        Files.writeString(
                                dir.resolve("dllab-confidential-" + marker + ".txt"), marker));
                markers.add(marker);
            } catch (java.io.IOException readOnly) {
                // a read-only folder: nothing to plant there
            }
        }
        corpus.readers(planted);
        Map<String, String> exportBefore = HostileCorpus.snapshot(export);

        // the tests' own limits capped at 10 s so the infinite loop costs 10 s, not 120; the slow
        // one needs 3 s
        Grader grader =
                new Grader(TEMPLATES, 300, List.of(export, out, graderOwned))
                        .withTestTimeoutCap(10);
        long start = System.nanoTime();
        ClassSummary summary;
        try {
            summary =
                    new BatchGrader(grader, HostileCorpus.SOLUTION, 2, null)
                            .run("hw1", export, out);
        } finally {
            for (Path p : planted) {
                Files.deleteIfExists(p);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Points> table = HomeworkRunner.pointsTable("hw1", List.of(Visibility.values()));
        List<String> problems = new ArrayList<>();
        int passing = 0;
        for (HostileCorpus.Case c : corpus.cases()) {
            JsonObject row = summary.rows().get(c.id());
            if (row == null) {
                problems.add(c.id() + ": no row (lost)");
                continue;
            }
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Points> t : table.entrySet()) {
                String shortName = t.getKey().substring(t.getKey().lastIndexOf('.') + 1);
                double expected = c.testPasses().test(t.getKey()) ? t.getValue().value() : 0;
                double got = row.getAsJsonObject("tests").get(shortName).getAsDouble();
                if (got != expected) {
                    wrong.add(shortName + " " + got + " (expected " + expected + ")");
                }
            }
            String feedback =
                    Files.readString(
                            out.resolve("students").resolve(c.id()).resolve("feedback.md"));
            if (!feedback.contains(c.feedbackPhrase())) {
                wrong.add("feedback lacks '" + c.feedbackPhrase() + "'");
            }
            JsonObject results =
                    JsonParser.parseString(
                                    Files.readString(
                                            out.resolve("students")
                                                    .resolve(c.id())
                                                    .resolve("results.json")))
                            .getAsJsonObject();
            if (results.get("score").getAsDouble() != row.get("score").getAsDouble()) {
                wrong.add("results.json and grades disagree");
            }
            if (wrong.isEmpty()) {
                passing++;
            } else {
                problems.add(c.id() + " (" + c.kind() + "): " + wrong);
            }
        }
        corpus.cases()
                .forEach(
                        c ->
                                System.out.printf(
                                        "  %-22s %-18s %5.1f%n",
                                        c.id(),
                                        c.kind(),
                                        summary.rows().containsKey(c.id())
                                                ? summary.rows()
                                                        .get(c.id())
                                                        .get("score")
                                                        .getAsDouble()
                                                : Double.NaN));
        System.out.printf(
                "hostile corpus: %d cases (%d honest), %d as expected, %d rows for %d students, batch %.1f s%n",
                corpus.cases().size(),
                corpus.cases().stream().filter(c -> c.kind().equals("honest")).count(),
                passing,
                summary.rows().size(),
                corpus.cases().size(),
                seconds);
        assertEquals(List.of(), problems);
        assertEquals(
                corpus.cases().size(),
                summary.rows().size(),
                "one row per student, none lost or duplicated");
        assertEquals(
                corpus.cases().size() + 1,
                Files.readAllLines(out.resolve("grades.csv")).size(),
                "header + one row each");

        // nothing escaped the sandbox: the export, the grader's folder, the zip's target paths are
        // untouched
        assertEquals(exportBefore, HostileCorpus.snapshot(export), "no student's files changed");
        assertFalse(
                Files.exists(graderOwned.resolve("pwned.txt")),
                "the grader's folder is not writable");
        assertFalse(
                Files.exists(Path.of("/tmp/dllab-absolute-zip-entry")),
                "an absolute zip entry is not extracted");
        assertFalse(
                Files.exists(export.getParent().getParent().resolve("escaped-by-zip")),
                "a ../ zip entry is not extracted");
        if (Sandbox.check().works()) {
            // the fork bomb's processes died with its sandbox (without one, only its direct
            // children are killed)
            Thread.sleep(500);
            List<String> left =
                    ProcessHandle.allProcesses()
                            .map(p -> p.info().commandLine().orElse(""))
                            .filter(cmd -> cmd.contains(HostileCorpus.FORK_MARKER))
                            .toList();
            assertEquals(List.of(), left, "processes left behind");
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("hw1"));

        // nothing a reader tried reached a file written for students (their folders, the class
        // reports)
        List<Path> forStudents =
                new ArrayList<>(List.of(out.resolve("grades.csv"), out.resolve("summary.md")));
        try (var s = Files.walk(out.resolve("students"))) {
            s.filter(Files::isRegularFile).forEach(forStudents::add);
        }
        for (Path f : forStudents) {
            String text = Files.readString(f);
            assertFalse(text.contains(HostileCorpus.LEAK), f + " holds what student code read");
            for (String m : markers) {
                assertFalse(text.contains(m), f + " holds a secret: " + m);
            }
            assertFalse(
                    text.contains("Hw1HiddenTest.java")
                            && text.contains("package org.dllab.grading.hw1"),
                    f + " holds the hidden test's source");
        }
        // a hidden test's failure message is the instructor's alone: the student sees its feedback
        // line
        String forged = Files.readString(out.resolve("students/forge-heapDump/feedback.md"));
        for (Map.Entry<String, Points> t : table.entrySet()) {
            if (t.getValue().visibility() != Visibility.VISIBLE) {
                assertTrue(forged.contains("| failed: " + t.getValue().feedback() + " |"), forged);
            }
        }
        assertTrue(
                Files.readString(out.resolve("instructor/forge-heapDump.md")).contains("TODO(hw1-"),
                "the instructor's copy has every message");
    }
}
