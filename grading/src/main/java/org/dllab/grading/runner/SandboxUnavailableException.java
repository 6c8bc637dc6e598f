package org.dllab.grading.runner;

/** Student code would have to run without a working sandbox, and nobody said that is acceptable. */
public final class SandboxUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * The refusal.
     *
     * @param why what is missing and how to proceed
     */
    public SandboxUnavailableException(String why) {
        super("refusing to run student code without a sandbox: " + why);
    }
}
