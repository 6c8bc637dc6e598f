package org.dllab.grading;

/** Who sees a test's result, as in Gradescope's results.json. */
public enum Visibility {
    /** Students see it (public tests). */
    VISIBLE,
    /** Only the instructor sees it. */
    HIDDEN,
    /** Students see it after the due date. */
    AFTER_DUE_DATE
}
