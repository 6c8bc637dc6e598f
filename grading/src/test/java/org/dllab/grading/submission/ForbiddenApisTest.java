package org.dllab.grading.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.runner.TestOutcome;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APIs a homework forbids, found by the compiler's symbol resolution however the student spells
 * them.
 */
class ForbiddenApisTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final Path HW1_TEMPLATE = TEMPLATES.resolve("src/main/java/org/dllab/hw/hw1");
    private static final Path HW3_TEMPLATE = TEMPLATES.resolve("src/main/java/org/dllab/hw/hw3");

    /** Linear.backward computing its gradients with DJL's autograd: right numbers, wrong method. */
    static final String AUTOGRAD_BACKWARD =
            """
            gradWeight = null;
            try (ai.djl.training.GradientCollector gc = input.getManager().getEngine().newGradientCollector()) {
                NDArray w = weight.duplicate();
                NDArray b = bias.duplicate();
                NDArray x = input.duplicate();
                w.setRequiresGradient(true);
                b.setRequiresGradient(true);
                x.setRequiresGradient(true);
                gc.backward(x.matMul(w).add(b).mul(gradOutput).sum());
                gradWeight = w.getGradient().duplicate();
                gradBias = b.getGradient().duplicate();
                return x.getGradient().duplicate();
            }
            """;

    @TempDir Path tmp;

    private Path hw1(String linearBackward) throws Exception {
        Path root = Files.createTempDirectory(tmp, "src");
        Path pkg = Files.createDirectories(root.resolve("org/dllab/hw/hw1"));
        try (Stream<Path> s =
                Files.list(Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1"))) {
            for (Path p : s.toList()) {
                Files.copy(p, pkg.resolve(p.getFileName()));
            }
        }
        if (linearBackward != null) {
            Path linear = pkg.resolve("Linear.java");
            String text = Files.readString(linear);
            int from = text.indexOf("        gradWeight = input.transpose()");
            int to = text.indexOf("        // END SOLUTION");
            Files.writeString(
                    linear, text.substring(0, from) + linearBackward + text.substring(to));
        }
        return root;
    }

    @Test
    void theReferenceUsesNothingForbidden() throws Exception {
        assertEquals(List.of(), ForbiddenApis.find("hw1", hw1(null), HW1_TEMPLATE));
    }

    @Test
    void autogradInABackwardCostsThatMethodsBlanks() throws Exception {
        List<ForbiddenApis.Use> uses =
                ForbiddenApis.find("hw1", hw1(AUTOGRAD_BACKWARD), HW1_TEMPLATE);
        assertTrue(
                uses.stream()
                        .anyMatch(u -> u.rule().api().equals("ai.djl.training.GradientCollector")),
                uses.toString());
        assertTrue(
                uses.stream()
                        .anyMatch(
                                u ->
                                        u.rule()
                                                .api()
                                                .equals(
                                                        "ai.djl.engine.Engine#newGradientCollector")),
                uses.toString());
        assertTrue(
                uses.stream()
                        .anyMatch(u -> u.rule().api().equals("ai.djl.ndarray.NDArray#getGradient")),
                uses.toString());
        assertTrue(
                uses.stream()
                        .allMatch(
                                u ->
                                        u.file().equals("Linear.java")
                                                && u.method().equals("backward")
                                                && u.blanks().equals(Set.of("hw1-3"))),
                uses.toString());
        assertTrue(
                uses.get(0).note().contains("Linear.java:")
                        && uses.get(0).note().contains("by hand"),
                uses.get(0).note());
    }

    @Test
    void aliasesAndMethodReferencesAreFoundAndAnImportAloneIsNot() throws Exception {
        String viaVar =
                """
                var engine = ai.djl.engine.Engine.getInstance();
                var collector = engine.newGradientCollector();
                collector.close();
                java.util.function.Function<NDArray, NDArray> g = NDArray::getGradient;
                gradWeight = input.transpose().matMul(gradOutput);
                gradBias = gradOutput.sum(new int[] {0});
                return gradOutput.matMul(weight.transpose());
                """;
        List<ForbiddenApis.Use> uses = ForbiddenApis.find("hw1", hw1(viaVar), HW1_TEMPLATE);
        assertTrue(
                uses.stream().anyMatch(u -> u.rule().api().endsWith("#newGradientCollector")),
                uses.toString());
        assertTrue(
                uses.stream().anyMatch(u -> u.rule().api().endsWith("#getGradient")),
                "a method reference: " + uses);

        Path src = hw1(null);
        Path mse = src.resolve("org/dllab/hw/hw1/MseLoss.java");
        Files.writeString(
                mse,
                Files.readString(mse)
                        .replace(
                                "import ai.djl.ndarray.NDArray;",
                                "import ai.djl.ndarray.NDArray;\nimport ai.djl.training.GradientCollector;"));
        assertEquals(
                List.of(),
                ForbiddenApis.find("hw1", src, HW1_TEMPLATE),
                "an unused import uses nothing");
    }

    @Test
    void hw3PartAMayNotUseDjlsTransformerBlocks() throws Exception {
        Path pkg = Files.createDirectories(tmp.resolve("hw3/org/dllab/hw/hw3"));
        try (Stream<Path> s =
                Files.list(Path.of("..", "solutions/src/main/java/org/dllab/hw/hw3"))) {
            for (Path p : s.toList()) {
                Files.copy(p, pkg.resolve(p.getFileName()));
            }
        }
        assertEquals(List.of(), ForbiddenApis.find("hw3", tmp.resolve("hw3"), HW3_TEMPLATE));
        Path mha = pkg.resolve("MultiHeadAttention.java");
        String text = Files.readString(mha);
        int brace = text.lastIndexOf('}');
        Files.writeString(
                mha,
                text.substring(0, brace)
                        + "    static Object djl() { return ai.djl.nn.transformer.ScaledDotProductAttentionBlock.builder(); }\n}\n");
        List<ForbiddenApis.Use> uses = ForbiddenApis.find("hw3", tmp.resolve("hw3"), HW3_TEMPLATE);
        assertTrue(
                !uses.isEmpty()
                        && uses.stream().allMatch(u -> u.file().equals("MultiHeadAttention.java")),
                uses.toString());
        assertTrue(
                !uses.get(0).blanks().isEmpty(),
                "outside a blank's method: every blank of the file: " + uses);
    }

    @Test
    void aSubmissionUsingAutogradLosesTheBlankAndSaysWhy() throws Exception {
        TestData.require(DatasetCatalog.MNIST);
        Path src = hw1(AUTOGRAD_BACKWARD);
        GradeReport r =
                new Grader(TEMPLATES, 300)
                        .grade(
                                "hw1",
                                src.resolve("org/dllab/hw/hw1"),
                                "autograd",
                                tmp.resolve("work"));
        for (TestOutcome t : r.tests()) {
            boolean usesBlank = t.blanks().contains("hw1-3");
            assertEquals(!usesBlank, t.passed(), t.name() + ": " + t.output());
            if (usesBlank) {
                assertTrue(t.output().contains("forbids"), t.output());
            }
        }
        assertTrue(r.notes().get(0).contains("forbidden API"), r.notes().toString());
        assertTrue(
                r.score() > 0 && r.score() < r.maxScore(),
                "the other blanks keep their points: " + r.score());
    }
}
