package org.dllab.run;

/** A training run that ended early on purpose: the loss diverged, or the user pressed {@code Ctrl-C}. */
public final class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the run stopped; also {@code run.json}'s status. */
    public enum Reason {
        /** The loss became NaN or infinite. */
        DIVERGED,
        /** {@code Ctrl-C}. */
        INTERRUPTED
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why
     * @param message what happened, where the checkpoint is and what to do
     */
    public TrainingStoppedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why the run stopped.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The status for {@code run.json}.
     *
     * @return {@code diverged} or {@code interrupted}
     */
    public String status() {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }
}
