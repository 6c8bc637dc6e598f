package org.dllab.grading.template;

/** A marker error in a solution file, with the file and line to fix. */
public final class TemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param file the file
     * @param line 1-based line
     * @param problem what is wrong
     */
    public TemplateException(String file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
