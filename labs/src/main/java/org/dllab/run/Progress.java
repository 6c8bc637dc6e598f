package org.dllab.run;

import ai.djl.training.util.ProgressBar;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of a long loop, fitted to where the output goes: on a terminal, DJL's bar redrawn in
 * place; anywhere else (a CI log, {@code | tee}, an IDE console, a notebook) one line at every 10 %
 * — a bar's hundred carriage-return frames per pass made such logs mostly bar.
 */
public final class Progress {

    private final String label;
    private final long total;
    private final PrintStream out;
    private final ProgressBar bar;
    private int lastTenth;
    private long lastCount;

    private Progress(String label, long total, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.bar = terminal ? new ProgressBar(label, Math.max(total, 1)) : null;
    }

    /**
     * Starts reporting a loop, as a bar when standard output is a terminal, else as lines.
     *
     * @param label what runs, e.g. {@code Epoch 2/3}
     * @param total how many items the loop has
     * @param out where lines go (the bar draws on standard output), or null for silence
     * @return the progress, or null when {@code out} is null
     */
    public static Progress start(String label, long total, PrintStream out) {
        return out == null ? null : new Progress(label, total, out, terminal());
    }

    /**
     * Lines, whatever the output is (what a non-terminal gets).
     *
     * @param label what runs
     * @param total how many items
     * @param out where the lines go
     * @return the progress
     */
    static Progress lines(String label, long total, PrintStream out) {
        return new Progress(label, total, out, false);
    }

    /**
     * Whether standard output is an interactive terminal (a console, not a file or a pipe).
     *
     * @return true on a terminal
     */
    public static boolean terminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Reports items finished.
     *
     * @param count items finished so far, 1..total
     * @param trailer what follows the count (e.g. the running loss), or null
     */
    public void update(long count, String trailer) {
        lastCount = count;
        if (bar != null) {
            if (trailer == null) {
                bar.update(count - 1);
            } else {
                bar.update(count - 1, trailer);
            }
            return;
        }
        int tenth = total <= 0 ? 0 : (int) Math.min(10, count * 10 / total);
        if (tenth > lastTenth) {
            lastTenth = tenth;
            line(count, trailer);
        }
    }

    /**
     * Reports items finished.
     *
     * @param count items finished so far
     */
    public void update(long count) {
        update(count, null);
    }

    /** Ends the report: the bar's line, or a last line when the loop stopped between two tenths. */
    public void end() {
        if (bar != null) {
            out.println();
        } else if (lastTenth < 10 && lastCount > 0 && (total <= 0 || lastCount * 10 / total < 10)) {
            line(lastCount, null);
        }
    }

    private void line(long count, String trailer) {
        out.println(
                String.format(
                        Locale.ROOT,
                        "%s: %d %% (%d/%d)%s",
                        label,
                        total <= 0 ? 100 : count * 100 / total,
                        count,
                        total,
                        trailer == null ? "" : " " + trailer));
    }
}
