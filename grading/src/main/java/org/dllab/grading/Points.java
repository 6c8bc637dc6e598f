package org.dllab.grading;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a graded test is worth and who sees it. Read by the trusted grader from the test class,
 * never reported by the student's JVM.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Points {

    /**
     * The points.
     *
     * @return the maximum score
     */
    double value();

    /**
     * Who sees the result (Gradescope's visibility values).
     *
     * @return the visibility
     */
    Visibility visibility() default Visibility.VISIBLE;

    /**
     * The blanks this test depends on (ids like {@code hw1-3}), for the per-blank report.
     *
     * @return the blank ids
     */
    String[] blanks() default {};

    /**
     * The test's own time limit: past it the test fails by timeout and the remaining tests run in a
     * fresh JVM.
     *
     * @return seconds
     */
    int timeoutSeconds() default 120;

    /**
     * What to tell the student when the test fails.
     *
     * @return the feedback
     */
    String feedback() default "";
}
