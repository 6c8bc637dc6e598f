package org.dllab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dllab.run.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dllab runs compare DIR...}: run folders side by side, as after a hyper-parameter sweep.
 */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Look at run folders.",
        subcommands = RunsCommand.Compare.class)
final class RunsCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: compare");
    }

    /** The table and the plot. */
    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description =
                    "Print the configuration that differs and the final figures of several run folders side by side, "
                            + "and plot their per-epoch curves.",
            footer = {
                "",
                "Example (a learning-rate sweep):",
                "  for lr in 0.0003 0.001 0.003; do dllab run mnist-mlp --lr $lr -o runs/lr-$lr; done",
                "  dllab runs compare runs/lr-*"
            })
    static final class Compare implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Parameters(
                arity = "2..*",
                paramLabel = "DIR",
                description = "Run folders (each with a run.json).")
        List<Path> dirs;

        @Option(
                names = "--plot",
                paramLabel = "FILE",
                description =
                        "Where the comparison plot goes (default: compare.png beside the first run folder).")
        Path plot;

        @Override
        public Integer call() throws Exception {
            RunComparison comparison = RunComparison.of(dirs);
            var out = spec.commandLine().getOut();
            out.print(comparison.table());
            Path file =
                    plot != null
                            ? plot
                            : dirs.get(0).toAbsolutePath().getParent().resolve("compare.png");
            if (comparison.plot(file)) {
                out.println("Curves: " + file);
            } else {
                out.println("(no per-epoch metrics in these runs: no plot)");
            }
            out.flush();
            return 0;
        }
    }
}
