/**
 * The graded tests of homework 1 (backpropagation by hand): public and hidden, each with its
 * points.
 */
package org.dllab.grading.hw1;
