package org.dllab.grading.runner;

import java.util.List;
import org.dllab.grading.Visibility;

/**
 * One graded test's outcome.
 *
 * @param name {@code Class#method}
 * @param score points earned
 * @param maxScore points possible
 * @param passed whether it passed
 * @param visibility who sees it
 * @param blanks the blanks it depends on
 * @param output the instructor's feedback and the failure message, empty when passed (for the
 *     instructor)
 * @param feedback the instructor's one-line feedback of the test, alone (what a student sees of a
 *     hidden test)
 * @param millis run time
 */
public record TestOutcome(
        String name,
        double score,
        double maxScore,
        boolean passed,
        Visibility visibility,
        List<String> blanks,
        String output,
        String feedback,
        long millis) {

    /**
     * What a student is shown: a visible test's whole message; a hidden test's feedback line only
     * (its failure message or output could carry what the student's code saw while it ran), unless
     * the instructor shows it.
     *
     * @param showHidden whether the instructor chose to show hidden tests' messages ({@code
     *     --show-hidden-output})
     * @return the text, empty when passed
     */
    public String studentOutput(boolean showHidden) {
        if (passed || visibility == Visibility.VISIBLE || showHidden) {
            return output;
        }
        return feedback.isEmpty()
                ? "failed (a hidden test: its message is for the instructor)"
                : feedback;
    }

    /**
     * The same outcome with 0 points and a reason (a rule of the homework broken, found outside the
     * test run).
     *
     * @param why the reason
     * @return the failed outcome
     */
    public TestOutcome failedBecause(String why) {
        return new TestOutcome(name, 0, maxScore, false, visibility, blanks, why, why, millis);
    }
}
