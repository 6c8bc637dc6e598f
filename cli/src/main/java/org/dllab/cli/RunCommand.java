package org.dllab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dllab.labs.Lab;
import org.dllab.labs.LabCatalog;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dllab run <lab>}: trains a lab and writes its run folder. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run a lab: train, show progress, write run.json, plots and parameters to the run folder.")
final class RunCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "LAB",
            completionCandidates = LabNames.class,
            description = "The lab (see 'dllab labs'): ${COMPLETION-CANDIDATES}.")
    String labId;

    @Mixin RunOptionsMixin runOptions;

    @Override
    public Integer call() throws Exception {
        Lab lab = LabCatalog.find(labId);
        RunOptions options = runOptions.toRunOptions();
        checkWritable(
                options.outputOr(LabRun.folderName(lab.id(), options.dataset(), lab.datasets())));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LabResult result =
                lab.run(options, out); // the harness checks the options against the lab's (LabRun)
        if (options.quiet()) {
            // one machine-readable line for scripts: key=value ...
            StringBuilder sb = new StringBuilder(lab.id());
            result.summary()
                    .forEach(
                            (k, v) ->
                                    sb.append(' ')
                                            .append(k)
                                            .append('=')
                                            .append(
                                                    v == Math.rint(v)
                                                            ? String.valueOf(v.longValue())
                                                            : String.format(
                                                                    java.util.Locale.ROOT,
                                                                    "%.4f",
                                                                    v)));
            out.println(sb.append(" run_dir=").append(result.runDir()));
        }
        return 0;
    }

    /** Fails before training, not after it, when the run folder cannot be written. */
    private static void checkWritable(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        try {
            Files.createDirectories(abs);
            Path probe = Files.createTempFile(abs, ".write-test", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IOException(
                    "cannot write the run folder "
                            + abs
                            + " ("
                            + e.getClass().getSimpleName()
                            + ": "
                            + e.getMessage()
                            + "); choose another with --output DIR",
                    e);
        }
    }

    /** The lab ids, for help and shell completion. */
    static final class LabNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.stream.Stream.concat(
                            LabCatalog.all().stream().map(Lab::id),
                            LabCatalog.aliases().keySet().stream().sorted())
                    .iterator();
        }
    }
}
