package org.dllab.labs;

import java.io.PrintStream;
import org.dllab.run.RunOptions;

/** A runnable lab of the course: {@code dllab run <id>}. */
public interface Lab {

    /**
     * The name on the command line.
     *
     * @return e.g. {@code mnist-mlp}
     */
    String id();

    /**
     * The week of the course it belongs to.
     *
     * @return 2..15
     */
    int week();

    /**
     * A one-line description.
     *
     * @return the title
     */
    String title();

    /**
     * Runs the lab: trains, writes its run folder, returns what it measured.
     *
     * @param options the common options
     * @param out progress and messages (ignored when {@link RunOptions#quiet()})
     * @return the outcome
     * @throws Exception when data are missing or broken, or training fails
     */
    LabResult run(RunOptions options, PrintStream out) throws Exception;

    /**
     * Whether the lab's work is small operations (an MLP at batch 64, token-by-token generation), which run faster on
     * one libtorch intra-op thread than split across the cores: {@code dllab run} then uses one
     * ({@link org.dllab.core.CpuThreads#forSmallOperations}; measured per lab in docs/benchmarks.md, "Threads").
     *
     * @return false unless measured and declared
     */
    default boolean smallOperations() {
        return false;
    }

    /**
     * Whether the lab keeps a checkpoint and can continue from it ({@code --resume}).
     *
     * @return false unless the lab says so
     */
    default boolean resumable() {
        return false;
    }

    /**
     * The {@code --dataset} values the lab takes, its default first; empty when it runs on one dataset only.
     *
     * @return the names
     */
    default java.util.List<String> datasets() {
        return java.util.List.of();
    }
}
