package org.dllab.grading.submission;

import java.util.List;
import org.dllab.grading.runner.TestOutcome;

/**
 * The grade of one submission.
 *
 * @param homework e.g. {@code hw1}
 * @param student the student id (the submission's name)
 * @param tests one outcome per graded test
 * @param notes what the student should know beyond the tests (missing files, compile errors, manual
 *     items)
 * @param aiDeclarations the AI-use declarations found in the code
 * @param seconds grading time
 * @param isolation what isolated the student's code (e.g. {@code bubblewrap sandbox + security
 *     manager})
 */
public record GradeReport(
        String homework,
        String student,
        List<TestOutcome> tests,
        List<String> notes,
        List<AiDeclarations.Declaration> aiDeclarations,
        double seconds,
        String isolation) {

    /**
     * The points earned.
     *
     * @return the sum of test scores
     */
    public double score() {
        return tests.stream().mapToDouble(TestOutcome::score).sum();
    }

    /**
     * The points possible.
     *
     * @return the sum of test maxima
     */
    public double maxScore() {
        return tests.stream().mapToDouble(TestOutcome::maxScore).sum();
    }
}
