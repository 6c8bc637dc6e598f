/**
 * Runs a homework's graded tests against some code (a reference solution, a template, a student's
 * copy) in a child JVM, and scores the results with the points table read from the trusted test
 * classes.
 */
package org.dllab.grading.runner;
