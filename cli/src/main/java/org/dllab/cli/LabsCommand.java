package org.dllab.cli;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.dllab.labs.Lab;
import org.dllab.labs.LabCatalog;
import org.dllab.run.LabOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dllab labs}: the labs, by week. */
@Command(
        name = "labs",
        mixinStandardHelpOptions = true,
        description = "List the labs with their week and what they do.")
final class LabsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    /** The lab-specific options a lab honours, and where it runs. */
    static String takes(Lab lab) {
        String options =
                lab.options().stream()
                        .filter(o -> o != LabOption.GPU)
                        .map(LabOption::flag)
                        .collect(Collectors.joining(" "));
        return (options.isEmpty() ? "no lab options" : options)
                + (lab.cpuOnlyBecause() == null ? "; --device gpu" : "; CPU only");
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.printf("%-6s %-22s %s%n", "WEEK", "LAB", "DESCRIPTION");
        for (Lab lab : LabCatalog.all()) {
            out.printf("W%02d    %-22s %s%n", lab.week(), lab.id(), lab.title());
            out.printf("       %-22s takes %s%n", "", takes(lab));
            if (!lab.datasets().isEmpty()) {
                out.printf("       %-22s --dataset %s%n", "", String.join("|", lab.datasets()));
            }
            LabCatalog.aliases()
                    .forEach(
                            (alias, id) -> {
                                if (id.equals(lab.id())) {
                                    out.printf("       %-22s also: dllab run %s%n", "", alias);
                                }
                            });
        }
        out.println();
        out.println(
                "Run one with: dllab run <lab> [the options it takes] [--seed N --data-dir DIR --output DIR --quiet --offline]");
        out.flush();
        return 0;
    }
}
