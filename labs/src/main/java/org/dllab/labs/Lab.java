package org.dllab.labs;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.RunOptions;

/**
 * A runnable lab of the course: {@code dllab run <id>}. A lab declares what it is and which options
 * it honours, and says what it teaches in {@link #run(LabRun)}; the harness ({@link LabRun}) does
 * the rest: options, engine, device, run folder, record, stop protocol.
 */
public interface Lab {

    /**
     * The name on the command line.
     *
     * @return {@code wNN-...}, NN the week
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
     * The lab-specific options it honours; any other given is a usage error naming these.
     *
     * @return the options
     */
    Set<LabOption> options();

    /**
     * Why the lab runs on the CPU whatever {@code --device} says; null when it honours {@link
     * LabOption#GPU}.
     *
     * @return the reason, or null
     */
    default String cpuOnlyBecause() {
        return null;
    }

    /**
     * What the lab teaches: train, report, return the measured figures. Called by the harness,
     * never directly.
     *
     * @param run the harness: options, log, device, run folder, record
     * @return the outcome
     * @throws Exception when data are missing or broken, or training fails
     */
    LabResult run(LabRun run) throws Exception;

    /**
     * Runs the lab in the harness: what {@code dllab run}, the tests and each lab's {@code main}
     * call.
     *
     * @param options the options
     * @param out progress and messages (ignored when {@link RunOptions#quiet()})
     * @return the outcome
     * @throws Exception see {@link LabRun#execute}
     */
    default LabResult run(RunOptions options, PrintStream out) throws Exception {
        return LabRun.execute(
                new LabRun.Spec(id(), options(), cpuOnlyBecause(), datasets(), smallOperations()),
                options,
                out,
                this::run);
    }

    /**
     * Whether the lab's work is small operations (an MLP at batch 64, token-by-token generation),
     * which run faster on one libtorch intra-op thread than split across the cores: the harness
     * then uses one ({@link org.dllab.core.CpuThreads#forSmallOperations}; measured per lab in
     * docs/benchmarks.md, "Threads").
     *
     * @return false unless measured and declared
     */
    default boolean smallOperations() {
        return false;
    }

    /**
     * The {@code --dataset} values the lab takes, its default first; empty when it runs on one
     * dataset only.
     *
     * @return the names
     */
    default List<String> datasets() {
        return List.of();
    }
}
