package org.dllab.grading.hw3;

/**
 * The HW3 hidden graded tests as a test class for PIT's mutation run (`-Pmutation`, see
 * grading/pom.xml): PIT mutates the reference solution and counts the mutants these tests kill. Not
 * a surefire test (the name does not end in "Test"): on the normal test classpath the template, not
 * the solution, backs the homework classes.
 */
class Hw3HiddenMutants extends Hw3HiddenTest {}
