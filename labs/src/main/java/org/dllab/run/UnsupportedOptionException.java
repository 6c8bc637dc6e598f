package org.dllab.run;

/**
 * An option the lab does not honour, a GPU it cannot use, a dataset it does not have: a usage error
 * (exit 2).
 */
public final class UnsupportedOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what was given, what the lab takes instead
     */
    public UnsupportedOptionException(String message) {
        super(message);
    }
}
