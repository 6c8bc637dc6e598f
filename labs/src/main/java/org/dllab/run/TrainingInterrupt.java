package org.dllab.run;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code Ctrl-C} during training: the first press asks the training loop to stop at the end of the current batch
 * (it writes a checkpoint and {@code run.json}, then ends); a second press ends the program at once, as usual.
 */
public final class TrainingInterrupt {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private TrainingInterrupt() {}

    /** Catches {@code SIGINT} (once per JVM); where signals cannot be caught, {@code Ctrl-C} just ends the program. */
    @SuppressWarnings("restriction")
    public static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        try {
            sun.misc.Signal interrupt = new sun.misc.Signal("INT");
            sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
            previous[0] = sun.misc.Signal.handle(interrupt, sig -> {
                if (REQUESTED.getAndSet(true)) {
                    previous[0].handle(sig); // second Ctrl-C: the default, exit now
                } else {
                    System.err.println("\nStopping after this batch (a checkpoint and run.json will be written); Ctrl-C again to quit now.");
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError unavailable) {
            // no signal support here (or the JVM was started with -Xrs): Ctrl-C keeps its default meaning
        }
    }

    /** Asks the running training to stop after its current batch (what {@code Ctrl-C} does; tests call it). */
    public static void request() {
        REQUESTED.set(true);
    }

    /**
     * Whether a stop was asked for.
     *
     * @return true after a {@code Ctrl-C}
     */
    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Clears the request (at the start of each run). */
    public static void clear() {
        REQUESTED.set(false);
    }
}
