package org.dllab.data;

import java.io.IOException;

/** A dataset is not on this machine and may not (or could not) be downloaded. */
public final class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the full, actionable message
     */
    public DatasetNotFoundException(String message) {
        super(message);
    }
}
