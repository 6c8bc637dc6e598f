package org.dllab.grading.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.data.DatasetCatalog;
import org.dllab.grading.Visibility;
import org.dllab.grading.template.TemplateGenerator;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;

/**
 * The gates of the homework: the committed templates are what the generator writes from the
 * solutions; every reference solution scores full marks; every template scores 0 on every test that
 * depends on a blank (a test that passes on an empty template tests nothing the student writes).
 */
class HomeworkGatesTest {

    private static final Path SOLUTIONS = Path.of("..", "solutions");
    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final List<Visibility> ALL = List.of(Visibility.values());

    @Test
    void templatesAreUpToDateWithTheSolutions() throws Exception {
        for (String hw : TemplateGenerator.homeworks(SOLUTIONS)) {
            List<String> drift = TemplateGenerator.drift(SOLUTIONS, TEMPLATES, hw);
            assertTrue(
                    drift.isEmpty(),
                    hw
                            + ": homework-templates/ differs from the generator's output in "
                            + drift
                            + "; run 'dllab homework generate' and commit the result");
        }
    }

    @Test
    void referenceSolutionsScoreFullMarks() throws Exception {
        TestData.require(DatasetCatalog.MNIST);
        Path classes = SOLUTIONS.resolve("target/classes");
        assertTrue(Files.isDirectory(classes), "build the solutions module first");
        for (String hw : HomeworkRunner.homeworks()) {
            List<TestOutcome> outcomes = HomeworkRunner.run(hw, classes, ALL, 600);
            assertTrue(!outcomes.isEmpty());
            for (TestOutcome o : outcomes) {
                assertTrue(o.passed(), hw + " reference fails " + o.name() + ": " + o.output());
            }
        }
    }

    @Test
    void templatesScoreZeroOnEveryTestOfABlank() throws Exception {
        Path classes = TEMPLATES.resolve("target/classes");
        assertTrue(Files.isDirectory(classes), "build the homework-templates module first");
        for (String hw : HomeworkRunner.homeworks()) {
            for (TestOutcome o : HomeworkRunner.run(hw, classes, ALL, 600)) {
                assertTrue(
                        !o.blanks().isEmpty(),
                        o.name() + " names no blank: every graded test must depend on one");
                assertEquals(
                        0.0,
                        o.score(),
                        hw + " template passes " + o.name() + ": the test does not need the blank");
                assertTrue(
                        o.output().contains("TODO(" + hw + "-") || o.output().contains("Exception"),
                        o.output());
            }
        }
    }
}
