package org.dllab.grading.exam;

import java.util.List;

/** A master whose bug markers cannot be read: every problem, each as {@code file:line: what}. */
public final class ExamFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The problems. */
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param problems each as {@code file:line: what}
     */
    public ExamFormatException(List<String> problems) {
        super(
                problems.size()
                        + " problem(s) in the exam's bug markers:\n  "
                        + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems.
     *
     * @return each as {@code file:line: what}
     */
    public List<String> problems() {
        return problems;
    }
}
