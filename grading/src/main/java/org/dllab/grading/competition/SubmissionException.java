package org.dllab.grading.competition;

import java.util.List;

/** A submission that cannot be scored: every problem found, each naming its line. */
public final class SubmissionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The problems. */
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param file the submission's name
     * @param problems each as {@code line N: what}
     */
    public SubmissionException(String file, List<String> problems) {
        super(
                file
                        + " cannot be scored ("
                        + problems.size()
                        + " problem(s)):\n  "
                        + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems.
     *
     * @return each as {@code line N: what}
     */
    public List<String> problems() {
        return problems;
    }
}
