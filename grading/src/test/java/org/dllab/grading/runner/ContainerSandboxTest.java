package org.dllab.grading.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.submission.GradeReport;
import org.dllab.grading.submission.Grader;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container route (`dllab grade --container`), where the grader's image exists (built from the
 * repository's Containerfile; see docs/grading-security.md): the reference scores full marks in it,
 * and code that reads a file planted in the grader's home gets nothing. Skipped where no engine or
 * image is there (CI builds no image).
 */
class ContainerSandboxTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final Path SOLUTION = Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1");

    @TempDir Path tmp;

    @Test
    void theReferenceScoresFullMarksInAContainerAndReadsNothingOutside() throws Exception {
        Assumptions.assumeTrue(ContainerSandbox.engine() != null, "no podman or docker");
        Assumptions.assumeTrue(
                ContainerSandbox.check(ContainerSandbox.DEFAULT_IMAGE).works(),
                () -> ContainerSandbox.check(ContainerSandbox.DEFAULT_IMAGE).detail());
        TestData.require(DatasetCatalog.MNIST);
        Grader grader = new Grader(TEMPLATES, 600).inContainer(ContainerSandbox.DEFAULT_IMAGE);
        GradeReport reference = grader.grade("hw1", SOLUTION, "reference", tmp.resolve("ref"));
        assertEquals(reference.maxScore(), reference.score(), reference.tests().toString());
        assertTrue(reference.isolation().startsWith("container"), reference.isolation());

        Path planted =
                Files.writeString(
                        Path.of(System.getProperty("user.home"))
                                .resolve("dllab-container-secret.txt"),
                        "container-secret");
        try {
            Path sub = Files.createDirectories(tmp.resolve("reader"));
            try (var s = Files.list(SOLUTION)) {
                for (Path p : s.toList()) {
                    Files.copy(p, sub.resolve(p.getFileName()));
                }
            }
            Path relu = sub.resolve("ReLU.java");
            Files.writeString(
                    relu,
                    Files.readString(relu)
                            .replace(
                                    "        input = x;",
                                    "        input = x;\n        try { throw new IllegalStateException("
                                            + "\"LEAK<\" + java.nio.file.Files.readString(java.nio.file.Path.of(\""
                                            + planted
                                            + "\"))); } catch (java.io.IOException | SecurityException e) { }"));
            GradeReport r = grader.grade("hw1", sub, "reader", tmp.resolve("reader-work"));
            assertEquals(
                    r.maxScore(),
                    r.score(),
                    "the read failed, so nothing was thrown: " + r.tests());
            assertTrue(
                    r.tests().stream().noneMatch(t -> t.output().contains("container-secret")),
                    r.tests().toString());
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void aMissingImageIsRefusedWithHowToBuildIt() {
        Assumptions.assumeTrue(ContainerSandbox.engine() != null, "no podman or docker");
        Sandbox.Check c =
                ContainerSandbox.check("dllab-no-such-image-" + ProcessHandle.current().pid());
        assertTrue(!c.works(), c.detail());
        SandboxUnavailableException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        SandboxUnavailableException.class,
                        () ->
                                new Grader(TEMPLATES, 60)
                                        .inContainer(
                                                "dllab-no-such-image-"
                                                        + ProcessHandle.current().pid())
                                        .isolation());
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    }
}
