/**
 * The autograder: points and visibility of tests ({@link org.dllab.grading.Points}), the homework
 * tests, the runner.
 */
package org.dllab.grading;
