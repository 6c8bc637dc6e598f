package org.dllab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.DatasetSpec;
import org.dllab.data.DatasetVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dllab data list|verify|download}: what data the course uses and where it is. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "List, verify or download the course's datasets.",
        subcommands = {
            DataCommand.ListData.class,
            DataCommand.Verify.class,
            DataCommand.Download.class
        })
final class DataCommand implements Runnable {

    @Spec CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Folder with the datasets (searched before $DLLAB_DATA).")
    Path dataDir;

    @Option(
            names = "--offline",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Never download.")
    boolean offline;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list, verify or download");
    }

    DataLocations locations() {
        return DataLocations.fromEnvironment(dataDir, offline);
    }

    /** The dataset names, for help and completion. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DatasetCatalog.ALL.stream().map(DatasetSpec::name).iterator();
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Each dataset, and where it was found (if anywhere).")
    static final class ListData implements Callable<Integer> {
        @ParentCommand DataCommand parent;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DataLocations loc = parent.locations();
            for (DatasetSpec d : DatasetCatalog.ALL) {
                Path found = loc.find(d);
                out.printf(
                        "%-16s %s%n%-16s %s%n",
                        d.name(), d.title(), "", found == null ? "not found" : "found at " + found);
            }
            out.println();
            out.println(
                    "Searched, in order: "
                            + loc.roots()
                            + (loc.offline() ? " (offline: no downloads)" : ""));
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Read a dataset the way the labs do and compare checksums with the official files.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand DataCommand parent;

        @Spec CommandSpec spec;

        @Parameters(
                paramLabel = "NAME",
                arity = "0..*",
                completionCandidates = Names.class,
                description =
                        "Datasets to check (default: all that are found): ${COMPLETION-CANDIDATES}.")
        List<String> names;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DataLocations loc = parent.locations();
            boolean explicit = names != null && !names.isEmpty();
            List<DatasetSpec> specs =
                    explicit
                            ? names.stream().map(DatasetCatalog::find).toList()
                            : DatasetCatalog.ALL;
            int failures = 0;
            for (DatasetSpec d : specs) {
                Path folder = loc.find(d);
                if (folder == null) {
                    if (explicit) {
                        out.println(d.name() + ": FAIL");
                        out.println("  " + loc.notFound(d, "").getMessage().replace("\n", "\n  "));
                        failures++;
                    } else {
                        out.println(d.name() + ": not found (skipped)");
                    }
                    continue;
                }
                List<DatasetVerifier.Check> checks = DatasetVerifier.verify(d, folder);
                boolean ok = checks.stream().allMatch(DatasetVerifier.Check::ok);
                out.println(d.name() + ": " + (ok ? "OK" : "FAIL") + "  (" + folder + ")");
                for (DatasetVerifier.Check c : checks) {
                    out.println("  " + (c.ok() ? "ok   " : "FAIL ") + c.text());
                }
                if (!ok) {
                    failures++;
                }
                out.flush();
            }
            out.flush();
            return failures == 0 ? 0 : 1;
        }
    }

    @Command(
            name = "download",
            mixinStandardHelpOptions = true,
            description =
                    "Download a dataset from its official source into the cache (checksum-verified).")
    static final class Download implements Callable<Integer> {
        @ParentCommand DataCommand parent;

        @Spec CommandSpec spec;

        @Parameters(
                paramLabel = "NAME",
                arity = "1..*",
                completionCandidates = Names.class,
                description = "Datasets to download: ${COMPLETION-CANDIDATES}.")
        List<String> names;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            DataLocations loc = parent.locations();
            for (String name : names) {
                DatasetSpec d = DatasetCatalog.find(name);
                Path folder = loc.resolve(d, System.out);
                out.println(d.name() + ": ready at " + folder);
                out.flush();
            }
            return 0;
        }
    }
}
