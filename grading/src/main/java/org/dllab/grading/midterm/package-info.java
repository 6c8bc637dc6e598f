/**
 * The week-9 midterm's checks: one per bug slot of {@code org.dllab.exam.midterm}, each failing on
 * every variant of its slot and passing on the master whatever the other slots hold (the gates in
 * {@code ExamGatesTest} prove both).
 */
package org.dllab.grading.midterm;
