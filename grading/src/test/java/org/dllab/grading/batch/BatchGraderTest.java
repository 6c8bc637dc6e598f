package org.dllab.grading.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.submission.Grader;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchGraderTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final Path SOLUTION = Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1");
    private static final Path TEMPLATE = TEMPLATES.resolve("src/main/java/org/dllab/hw/hw1");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir Path tmp;

    private static void copyAll(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(
                        p,
                        to.resolve(p.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private Path classExport() throws Exception {
        Path export = Files.createDirectories(tmp.resolve("export"));
        copyAll(SOLUTION, export.resolve("alice"));
        Path linear = export.resolve("alice/Linear.java");
        Files.writeString(
                linear,
                Files.readString(linear)
                        .replace(
                                "    @Override\n    public NDArray backward",
                                "    // 以下幾行由 gpt-5 生成\n    @Override\n    public NDArray backward"));
        copyAll(TEMPLATE, export.resolve("bob")); // handed in the template
        Files.createDirectories(export.resolve("carol"));
        Files.writeString(export.resolve("carol/Mlp.java"), "this is not java");
        try (OutputStream os = Files.newOutputStream(export.resolve("dave.zip"));
                ZipOutputStream z = new ZipOutputStream(os)) {
            try (Stream<Path> s = Files.list(SOLUTION)) {
                for (Path p : s.toList()) {
                    z.putNextEntry(new ZipEntry("hw1/src/" + p.getFileName()));
                    z.write(Files.readAllBytes(p));
                    z.closeEntry();
                }
            }
        }
        return export;
    }

    @Test
    void gradesTheClassWritesReportsAndResumesWithoutLosingOrDuplicatingRows() throws Exception {
        TestData.require(DatasetCatalog.MNIST);
        Path export = classExport();
        Path out = tmp.resolve("out");
        BatchGrader batch = new BatchGrader(new Grader(TEMPLATES, 300), SOLUTION, 2, QUIET);
        ClassSummary s = batch.run("hw1", export, out);
        assertEquals(4, s.rows().size());
        assertEquals(29.0, s.rows().get("alice").get("score").getAsDouble());
        assertEquals(
                29.0,
                s.rows().get("dave").get("score").getAsDouble(),
                "a student's zip is graded like a folder");
        assertEquals(0.0, s.rows().get("bob").get("score").getAsDouble());
        assertEquals(0.0, s.rows().get("carol").get("score").getAsDouble());
        List<String> csv = Files.readAllLines(out.resolve("grades.csv"));
        assertEquals(5, csv.size(), "header + one row per student");
        assertTrue(csv.get(0).startsWith("student,total,max,Hw1HiddenTest#"), csv.get(0));
        assertTrue(
                csv.stream().anyMatch(l -> l.startsWith("alice,29.0") && l.contains("gpt-5")),
                "AI declaration in the CSV");
        assertTrue(
                Files.readString(out.resolve("students/alice/feedback.md"))
                        .contains("以下幾行由 gpt-5 生成"));
        assertTrue(
                Files.readString(out.resolve("students/carol/feedback.md"))
                        .contains("does not compile"));
        assertTrue(Files.size(out.resolve("histogram.png")) > 500);
        assertTrue(
                Files.readString(out.resolve("summary.md"))
                        .contains("4 students; mean 14.50, median 14.50"));

        // an interrupted run: carol's line never made it, and a torn line was left behind
        Path journal = out.resolve("journal.jsonl");
        List<String> lines =
                Files.readAllLines(journal).stream().filter(l -> !l.contains("\"carol\"")).toList();
        Files.write(journal, lines);
        Files.writeString(journal, "{\"student\":\"car", java.nio.file.StandardOpenOption.APPEND);
        ClassSummary again = batch.run("hw1", export, out);
        assertEquals(4, again.rows().size());
        assertEquals(
                5, Files.readAllLines(out.resolve("grades.csv")).size(), "no row lost, none twice");
        long carolLines =
                Files.readAllLines(journal).stream()
                        .filter(l -> l.contains("\"student\":\"carol\""))
                        .count();
        assertEquals(1, carolLines, "only the missing student was graded again");
    }

    @Test
    void aBrokenGraderStopsBeforeGradingAnyone() throws Exception {
        Path export = classExport();
        Path out = tmp.resolve("out");
        // the "reference" here is the template: it cannot get full marks, as a broken sandbox or
        // missing data would not
        BatchGrader broken = new BatchGrader(new Grader(TEMPLATES, 300), TEMPLATE, 1, QUIET);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> broken.run("hw1", export, out));
        assertTrue(e.getMessage().contains("canary before grading"), e.getMessage());
        assertFalse(Files.exists(out.resolve("grades.csv")));
        assertFalse(Files.exists(out.resolve("journal.jsonl")));
    }
}
