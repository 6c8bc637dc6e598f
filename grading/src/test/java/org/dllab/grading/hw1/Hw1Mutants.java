package org.dllab.grading.hw1;

/**
 * The HW1 graded tests, as test classes for PIT's mutation run ({@code -Pmutation}): PIT mutates the reference
 * solution and counts how many mutants these tests kill. Not a surefire test (its name does not end in "Test"): on
 * the normal test classpath the template, not the solution, backs the homework classes.
 */
final class Hw1Mutants {

    private Hw1Mutants() {}

    /** The public tests. */
    static class Public extends Hw1PublicTest {}

    /** The hidden tests. */
    static class Hidden extends Hw1HiddenTest {}
}
