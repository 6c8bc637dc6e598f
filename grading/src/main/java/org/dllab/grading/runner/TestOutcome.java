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
 * @param output feedback and the failure message, empty when passed
 * @param millis run time
 */
public record TestOutcome(String name, double score, double maxScore, boolean passed, Visibility visibility, List<String> blanks,
        String output, long millis) {}
