package org.dllab.grading.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.runner.TestOutcome;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraderTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final Path SOLUTION =
            Path.of("..", "solutions", "src", "main", "java", "org", "dllab", "hw", "hw1");

    @TempDir Path tmp;

    private static void zip(Path file, String[][] entries) throws Exception {
        try (OutputStream os = Files.newOutputStream(file);
                ZipOutputStream z = new ZipOutputStream(os)) {
            for (String[] e : entries) {
                z.putNextEntry(new ZipEntry(e[0]));
                z.write(e[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    @Test
    void stagingTakesOnlyExpectedNamesAndNeverWritesWhereAnEntrySays() throws Exception {
        Path sub = tmp.resolve("evil.zip");
        zip(
                sub,
                new String[][] {
                    {"../../escaped/Linear.java", "class Linear {}"},
                    {"/abs/ReLU.java", "class ReLU {}"},
                    {"deep/nested/folder/REPORT.md", "# report"},
                    {"../../../../tmp/pwned.sh", "rm -rf /"},
                    {"other/Linear.java", "class Second {}"},
                });
        Path staging = tmp.resolve("work/staging");
        Staging.Result r =
                Staging.stage(sub, "hw1", Set.of("Linear.java", "ReLU.java", "Mlp.java"), staging);
        assertEquals(Set.of("Linear.java", "ReLU.java", "REPORT.md"), Set.copyOf(r.found()));
        assertEquals(java.util.List.of("Mlp.java"), r.missing());
        assertTrue(
                r.notes().stream().anyMatch(n -> n.contains("several files named Linear.java")),
                r.notes().toString());
        assertEquals(
                "class Linear {}",
                Files.readString(staging.resolve("src/main/java/org/dllab/hw/hw1/Linear.java")));
        assertFalse(
                Files.exists(tmp.resolve("escaped"))
                        || Files.exists(tmp.getParent().resolve("escaped")));
        try (Stream<Path> all = Files.walk(tmp)) {
            assertTrue(
                    all.noneMatch(p -> p.getFileName().toString().equals("pwned.sh")),
                    "unexpected names are never written");
        }
    }

    @Test
    void aSymlinkInAFolderSubmissionIsNotFollowed() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "grader's secret");
        Path sub = Files.createDirectories(tmp.resolve("student"));
        Files.createSymbolicLink(sub.resolve("Linear.java"), secret);
        Staging.Result r = Staging.stage(sub, "hw1", Set.of("Linear.java"), tmp.resolve("staging"));
        assertTrue(r.found().isEmpty(), "a link is not a regular file of the submission");
    }

    @Test
    void compileErrorsScoreZeroWithTheFirstErrorInTheNotes() throws Exception {
        Path sub = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(
                sub.resolve("Linear.java"),
                "package org.dllab.hw.hw1; public class Linear { oops }");
        GradeReport r = new Grader(TEMPLATES, 300).grade("hw1", sub, "broken", tmp.resolve("work"));
        assertEquals(0.0, r.score());
        assertTrue(r.maxScore() > 0);
        assertTrue(
                r.notes().get(0).contains("does not compile")
                        && r.notes().get(0).contains("Linear.java:1"),
                r.notes().toString());
        assertTrue(
                r.notes().stream().anyMatch(n -> n.startsWith("missing files")),
                "the other files were missing");
    }

    @Test
    void partialWorkEarnsPartialCreditAndResultsJsonFollowsGradescope() throws Exception {
        TestData.require(DatasetCatalog.MNIST);
        Path sub = Files.createDirectories(tmp.resolve("partial"));
        try (Stream<Path> s = Files.list(TEMPLATES.resolve("src/main/java/org/dllab/hw/hw1"))) {
            for (Path p : s.toList()) {
                Files.copy(p, sub.resolve(p.getFileName()));
            }
        }
        for (String done : new String[] {"Linear.java", "ReLU.java", "MseLoss.java", "Mlp.java"}) {
            Files.copy(
                    SOLUTION.resolve(done),
                    sub.resolve(done),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        GradeReport r =
                new Grader(TEMPLATES, 300).grade("hw1", sub, "partial", tmp.resolve("work"));
        assertTrue(r.score() > 0 && r.score() < r.maxScore(), r.score() + " / " + r.maxScore());
        assertTrue(
                passed(r, "linearBackward") && passed(r, "mlpGradientsMatchAutograd"),
                r.tests().toString());
        assertFalse(
                passed(r, "sigmoidForwardBackward")
                        || passed(r, "numericalGradientMatchesTheAnalyticOne"));
        JsonObject json = GradescopeResults.toJson(r);
        assertEquals(r.score(), json.get("score").getAsDouble());
        var tests = json.getAsJsonArray("tests");
        assertEquals(r.tests().size(), tests.size());
        JsonObject first = tests.get(0).getAsJsonObject();
        for (String key :
                new String[] {
                    "name", "number", "score", "max_score", "status", "visibility", "output"
                }) {
            assertTrue(first.has(key), key);
        }
        assertTrue(
                Set.of("visible", "hidden", "after_due_date")
                        .contains(first.get("visibility").getAsString()));
    }

    private static boolean passed(GradeReport r, String method) {
        return r.tests().stream()
                .filter(t -> t.name().endsWith("#" + method))
                .anyMatch(TestOutcome::passed);
    }
}
