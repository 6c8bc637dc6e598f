/**
 * On-computer debugging exams: a correct master program whose {@code // BUG} blocks hold buggy
 * variants ({@link org.dllab.grading.exam.ExamMaster}), one paper per student with some of them
 * broken ({@link org.dllab.grading.exam.ExamKey}, {@link org.dllab.grading.exam.Paper}), and
 * grading by behaviour: each slot has a check that fails on every variant of that slot and passes
 * on the master ({@link org.dllab.grading.exam.ExamScore}).
 */
package org.dllab.grading.exam;
