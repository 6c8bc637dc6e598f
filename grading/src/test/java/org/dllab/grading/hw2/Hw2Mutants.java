package org.dllab.grading.hw2;

/**
 * The HW2 graded tests for PIT's mutation run ({@code -Pmutation -Dmutation.homework=hw2}); see
 * {@code org.dllab.grading.hw1.Hw1Mutants}.
 */
final class Hw2Mutants {

    private Hw2Mutants() {}

    /** The public tests. */
    static class Public extends Hw2PublicTest {}

    /** The hidden tests. */
    static class Hidden extends Hw2HiddenTest {}
}
