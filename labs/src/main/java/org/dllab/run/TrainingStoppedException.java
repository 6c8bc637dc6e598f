package org.dllab.run;

/**
 * A training run that ended early on purpose: the loss diverged, or the user pressed {@code Ctrl-C}
 * or the run got SIGTERM.
 */
public final class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the run stopped; also {@code run.json}'s status. */
    public enum Reason {
        /** The loss became NaN or infinite. */
        DIVERGED,
        /** {@code Ctrl-C} or SIGTERM. */
        INTERRUPTED
    }

    private final Reason reason;
    private final String signal;

    /**
     * Creates the exception.
     *
     * @param reason why
     * @param message what happened, where the checkpoint is and what to do
     */
    public TrainingStoppedException(Reason reason, String message) {
        this(reason, message, reason == Reason.INTERRUPTED ? TrainingInterrupt.signal() : null);
    }

    /**
     * Creates the exception for a stop asked by a signal.
     *
     * @param reason why
     * @param message what happened, where the checkpoint is and what to do
     * @param signal {@code INT} or {@code TERM} (null: {@code INT})
     */
    public TrainingStoppedException(Reason reason, String message, String signal) {
        super(message);
        this.reason = reason;
        this.signal = signal;
    }

    /**
     * The signal that stopped the run.
     *
     * @return {@code INT}, {@code TERM}, or null (diverged)
     */
    public String signal() {
        return reason == Reason.INTERRUPTED ? (signal == null ? "INT" : signal) : null;
    }

    /**
     * The exit status of {@code dllab run}: 130 after SIGINT, 143 after SIGTERM (128 + the signal's
     * number, as a shell reports it), 1 for a diverged run.
     *
     * @return the status
     */
    public int exitStatus() {
        if (reason != Reason.INTERRUPTED) {
            return 1;
        }
        return "TERM".equals(signal) ? 143 : 130;
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
