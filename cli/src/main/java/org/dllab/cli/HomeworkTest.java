package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.SourceCompiler;
import org.dllab.grading.runner.TestOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dllab homework test hw1 [--dir DIR]}: compile a working copy and run the public tests. */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description =
                "Compile your working copy and run the public tests: points per test and per blank.")
final class HomeworkTest implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "HW", description = "e.g. hw1")
    String homework;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Your working folder (default: ./<HW>).")
    Path dir;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Limit for the whole run (default ${DEFAULT-VALUE}).")
    long timeout;

    @Option(
            names = "--results",
            paramLabel = "FILE",
            description =
                    "Also write one line per graded test, 'PASS name' or 'FAIL name' (what the GitHub Classroom workflow reads).")
    Path results;

    @Override
    public Integer call() throws Exception {
        HomeworkRunner.testClasses(homework); // unknown homework: a clear error before compiling
        Path work = dir != null ? dir : Path.of(homework);
        Path sources = work.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            throw new IOException(
                    work.toAbsolutePath()
                            + " has no src/main/java: start one with 'dllab homework start "
                            + homework
                            + "'");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path classes = work.resolve("target/dllab-classes");
        List<String> errors = SourceCompiler.compile(sources, classes);
        if (!errors.isEmpty()) {
            if (results != null) {
                writeResults(
                        HomeworkRunner.pointsTable(homework, List.of(Visibility.VISIBLE))
                                .keySet()
                                .stream()
                                .map(t -> "FAIL " + t)
                                .toList());
            }
            out.println("Your code does not compile (" + errors.size() + " error(s)); the first:");
            errors.stream().limit(5).forEach(e -> out.println("  " + e));
            out.flush();
            return 1;
        }
        List<TestOutcome> outcomes =
                HomeworkRunner.run(homework, classes, List.of(Visibility.VISIBLE), timeout);
        double score = 0;
        double max = 0;
        Map<String, int[]> perBlank = new LinkedHashMap<>();
        for (TestOutcome o : outcomes) {
            score += o.score();
            max += o.maxScore();
            out.printf(
                    Locale.ROOT,
                    "%s %-40s %4.1f / %4.1f%n",
                    o.passed() ? "PASS" : "FAIL",
                    o.name().substring(o.name().indexOf('#') + 1),
                    o.score(),
                    o.maxScore());
            if (!o.passed()) {
                out.println("       " + o.output());
            }
            for (String b : o.blanks()) {
                int[] c = perBlank.computeIfAbsent(b, k -> new int[2]);
                c[1]++;
                if (o.passed()) {
                    c[0]++;
                }
            }
        }
        if (results != null) {
            writeResults(
                    outcomes.stream()
                            .map(o -> (o.passed() ? "PASS " : "FAIL ") + o.name())
                            .toList());
        }
        out.println();
        out.println("Per blank (tests passing that use it):");
        perBlank.entrySet().stream()
                .sorted((a, b) -> Integer.compare(number(a.getKey()), number(b.getKey())))
                .forEach(
                        e ->
                                out.printf(
                                        "  %-7s %d/%d%s%n",
                                        e.getKey(),
                                        e.getValue()[0],
                                        e.getValue()[1],
                                        e.getValue()[0] == e.getValue()[1]
                                                ? ""
                                                : "   <- look here"));
        out.printf(
                Locale.ROOT,
                "%nPublic tests: %.1f / %.1f points. Hidden tests and REPORT.md are graded after submission.%n",
                score,
                max);
        out.flush();
        return score == max ? 0 : 1;
    }

    private void writeResults(List<String> lines) throws IOException {
        Path parent = results.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(results, lines, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int number(String blank) {
        return Integer.parseInt(blank.substring(blank.lastIndexOf('-') + 1));
    }
}
