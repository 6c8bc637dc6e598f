package org.dllab.run;

import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code Ctrl-C} (SIGINT) and SIGTERM (what {@code kill}, {@code timeout}, Slurm, Docker and
 * systemd send) during a run: the first asks the lab to stop after its current step ({@link
 * #check()}); the harness then writes the checkpoint where the lab keeps one and {@code run.json}
 * with status {@code interrupted}, and {@code dllab} exits 130 or 143. The first signal never ends
 * the process itself: ending it while the main thread is inside a libtorch operation (the JVM's
 * default for both signals) runs the process's exit, libtorch's C++ static destructors included,
 * under that operation, which is how killing a run mid-step could crash in teardown. A second
 * signal quits at once ({@link Runtime#halt}, no shutdown hooks) for a user who will not wait for
 * the step.
 */
public final class TrainingInterrupt {

    /** The signal that asked for the stop ({@code INT} or {@code TERM}), or null. */
    private static final AtomicReference<String> REQUESTED = new AtomicReference<>();

    private static volatile boolean installed;

    private TrainingInterrupt() {}

    /**
     * Catches SIGINT and SIGTERM (once per JVM); where signals cannot be caught they keep their
     * default meaning.
     */
    @SuppressWarnings("restriction")
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(
                        new sun.misc.Signal(name),
                        sig -> {
                            if (REQUESTED.compareAndSet(null, sig.getName())) {
                                System.err.println(
                                        "\nSIG"
                                                + sig.getName()
                                                + ": stopping after this step (run.json and any checkpoint"
                                                + " will be written); send it again to quit at once.");
                            } else {
                                Runtime.getRuntime().halt(128 + sig.getNumber());
                            }
                        });
            } catch (IllegalArgumentException
                    | UnsupportedOperationException
                    | LinkageError unavailable) {
                // no signal support here (or the JVM was started with -Xrs): the signal ends the
                // program as usual
            }
        }
    }

    /**
     * Asks the running lab to stop after its current step, as {@code Ctrl-C} does (tests call it).
     */
    public static void request() {
        request("INT");
    }

    /**
     * Asks the running lab to stop after its current step, as the named signal does.
     *
     * @param signal {@code INT} or {@code TERM}
     */
    public static void request(String signal) {
        REQUESTED.compareAndSet(null, signal);
    }

    /**
     * Whether a stop was asked for.
     *
     * @return true after a signal
     */
    public static boolean requested() {
        return REQUESTED.get() != null;
    }

    /**
     * The signal that asked for the stop.
     *
     * @return {@code INT}, {@code TERM}, or null
     */
    public static String signal() {
        return REQUESTED.get();
    }

    /**
     * The end of a step: throws when a stop was asked for. Every lab calls it (directly or through
     * {@link ClassifierTraining}) between steps, so a signal never cuts a step in half.
     *
     * @throws TrainingStoppedException with reason {@code INTERRUPTED} after a signal
     */
    public static void check() {
        String signal = REQUESTED.get();
        if (signal != null) {
            throw new TrainingStoppedException(
                    TrainingStoppedException.Reason.INTERRUPTED,
                    "stopped on SIG" + signal + " after a finished step",
                    signal);
        }
    }

    /** Clears the request (at the start of each run). */
    public static void clear() {
        REQUESTED.set(null);
    }
}
