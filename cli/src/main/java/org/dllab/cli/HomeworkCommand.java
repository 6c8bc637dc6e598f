package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.dllab.grading.template.BlankInfo;
import org.dllab.grading.template.TemplateGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dllab homework list|generate}: the homework and its student templates. */
@Command(
        name = "homework",
        mixinStandardHelpOptions = true,
        description =
                "Homework: list, start a working copy, run the public tests, pack the submission; generate templates.",
        subcommands = {
            HomeworkCommand.ListHomework.class,
            HomeworkCommand.Generate.class,
            HomeworkCommand.Publish.class,
            HomeworkStart.class,
            HomeworkTest.class,
            HomeworkPack.class
        })
final class HomeworkCommand implements Runnable {

    @Spec CommandSpec spec;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description =
                    "The dllab repository (default: $DLLAB_HOME, set by the launcher, or the current folder).")
    Path root;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: list or generate");
    }

    /**
     * The repository root: --root, $DLLAB_HOME, or the nearest folder upwards with solutions/ and
     * homework-templates/.
     */
    Path root() throws IOException {
        return RepoRoot.find(root);
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The homework with solution sources, and their blanks.")
    static final class ListHomework implements Callable<Integer> {
        @ParentCommand HomeworkCommand parent;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path r = parent.root();
            // from the generated templates: the same in the instructor's repository and the student
            // edition
            Path templates = r.resolve("homework-templates");
            try (java.util.stream.Stream<Path> dirs = Files.list(templates)) {
                for (Path d :
                        dirs.filter(
                                        p ->
                                                p.getFileName().toString().matches("hw\\d+")
                                                        && Files.isDirectory(p))
                                .sorted()
                                .toList()) {
                    String hw = d.getFileName().toString();
                    long blanks =
                            Files.exists(d.resolve("BLANKS.md"))
                                    ? Files.readAllLines(d.resolve("BLANKS.md")).stream()
                                            .filter(l -> l.startsWith("| " + hw + "-"))
                                            .count()
                                    : 0;
                    out.printf(
                            "%-5s %2d blanks  %s%n", hw, blanks, firstLine(d.resolve("README.md")));
                }
            }
            out.flush();
            return 0;
        }

        private static String firstLine(Path readme) throws IOException {
            return Files.exists(readme)
                    ? Files.readAllLines(readme).get(0).replaceFirst("^#\\s*", "")
                    : "";
        }
    }

    @Command(
            name = "generate",
            mixinStandardHelpOptions = true,
            description =
                    "Regenerate homework-templates/ from the annotated solutions (all homework, or those named).")
    static final class Generate implements Callable<Integer> {
        @ParentCommand HomeworkCommand parent;

        @Spec CommandSpec spec;

        @Parameters(
                paramLabel = "HW",
                arity = "0..*",
                description = "e.g. hw1 (default: every homework)")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path r = parent.root();
            if (!Files.isDirectory(r.resolve("solutions"))) {
                throw new IllegalArgumentException(
                        "homework generate needs the reference solutions (solutions/), which only the "
                                + "instructor's repository has");
            }
            List<String> all = TemplateGenerator.homeworks(r.resolve("solutions"));
            List<String> chosen = names == null || names.isEmpty() ? all : names;
            for (String hw : chosen) {
                if (!all.contains(hw)) {
                    throw new IllegalArgumentException(
                            "unknown homework '" + hw + "'; known: " + String.join(", ", all));
                }
                List<BlankInfo> blanks =
                        TemplateGenerator.write(
                                r.resolve("solutions"), r.resolve("homework-templates"), hw);
                out.printf(
                        "%s: %d blanks written to homework-templates/ (see homework-templates/%s/BLANKS.md)%n",
                        hw, blanks.size(), hw);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description =
                    "Write the student edition of this repository into DIR: labs, templates and public tests; no "
                            + "reference solutions, no hidden tests (checked line by line before anything is written).")
    static final class Publish implements Callable<Integer> {
        @ParentCommand HomeworkCommand parent;

        @Spec CommandSpec spec;

        @Parameters(
                paramLabel = "DIR",
                description = "a new folder (e.g. the student repository's working copy)")
        Path target;

        @Override
        public Integer call() throws IOException {
            org.dllab.grading.template.StudentEdition.Result r =
                    org.dllab.grading.template.StudentEdition.publish(parent.root(), target);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "student edition in %s: %d files; %d withheld (solutions, hidden tests, the grader's own tests, CI)%n",
                    target.toAbsolutePath(), r.files(), r.withheld());
            r.notes().forEach(n -> out.println("note: " + n));
            out.println(
                    "Check it builds: cd "
                            + target
                            + " && ./mvnw -q -DskipTests package && ./dllab homework list");
            out.flush();
            return 0;
        }
    }
}
