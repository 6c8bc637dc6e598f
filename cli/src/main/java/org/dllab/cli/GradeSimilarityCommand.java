package org.dllab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.similarity.Similarity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dllab grade similarity HW EXPORT --out DIR}: JPlag over a class, the template as base
 * code.
 */
@Command(
        name = "similarity",
        mixinStandardHelpOptions = true,
        description =
                "Compare every pair of students with JPlag (Java, template as base code): similarity.csv and JPlag's report.")
final class GradeSimilarityCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HW", description = "e.g. hw1")
    String homework;

    @Parameters(
            index = "1",
            paramLabel = "EXPORT",
            description = "The class export (folder or zip).")
    Path export;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            required = true,
            description = "Where similarity.csv and jplag-report.zip go.")
    Path out;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "100",
            description = "Pairs kept in the CSV (default ${DEFAULT-VALUE}).")
    int top;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "The dllab repository (default: $DLLAB_HOME or upwards from here).")
    Path root;

    @Override
    public Integer call() throws Exception {
        HomeworkRunner.testClasses(homework);
        java.nio.file.Files.createDirectories(out);
        List<Similarity.Pair> pairs =
                Similarity.run(
                        homework,
                        export,
                        RepoRoot.find(root).resolve("homework-templates"),
                        out,
                        top);
        PrintWriter w = spec.commandLine().getOut();
        w.println("Most similar pairs (JPlag average similarity, template code excluded):");
        pairs.stream()
                .limit(10)
                .forEach(
                        p ->
                                w.printf(
                                        Locale.ROOT,
                                        "  %5.1f %%  %s  %s%n",
                                        100 * p.average(),
                                        p.first(),
                                        p.second()));
        w.println(
                "All "
                        + pairs.size()
                        + " pairs: "
                        + out.resolve("similarity.csv").toAbsolutePath()
                        + "; JPlag's report (open with JPlag's report viewer): "
                        + out.resolve("jplag-report.zip").toAbsolutePath());
        w.flush();
        return 0;
    }
}
