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
@Command(name = "homework", mixinStandardHelpOptions = true,
        description = "Homework: list, start a working copy, run the public tests, pack the submission; generate templates.",
        subcommands = {HomeworkCommand.ListHomework.class, HomeworkCommand.Generate.class, HomeworkStart.class, HomeworkTest.class,
            HomeworkPack.class})
final class HomeworkCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The dllab repository (default: $DLLAB_HOME, set by the launcher, or the current folder).")
    Path root;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list or generate");
    }

    /** The repository root: --root, $DLLAB_HOME, or the nearest folder upwards with solutions/ and homework-templates/. */
    Path root() throws IOException {
        return RepoRoot.find(root);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The homework with solution sources, and their blanks.")
    static final class ListHomework implements Callable<Integer> {
        @ParentCommand
        HomeworkCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path r = parent.root();
            for (String hw : TemplateGenerator.homeworks(r.resolve("solutions"))) {
                List<BlankInfo> blanks = new java.util.ArrayList<>();
                TemplateGenerator.generate(r.resolve("solutions"), hw, blanks);
                String title = firstLine(r.resolve("solutions").resolve(hw).resolve("README.md"));
                out.printf("%-5s %2d blanks  %s%n", hw, blanks.size(), title);
            }
            out.flush();
            return 0;
        }

        private static String firstLine(Path readme) throws IOException {
            return Files.exists(readme) ? Files.readAllLines(readme).get(0).replaceFirst("^#\\s*", "") : "";
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Regenerate homework-templates/ from the annotated solutions (all homework, or those named).")
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        HomeworkCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "HW", arity = "0..*", description = "e.g. hw1 (default: every homework)")
        List<String> names;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path r = parent.root();
            List<String> all = TemplateGenerator.homeworks(r.resolve("solutions"));
            List<String> chosen = names == null || names.isEmpty() ? all : names;
            for (String hw : chosen) {
                if (!all.contains(hw)) {
                    throw new IllegalArgumentException("unknown homework '" + hw + "'; known: " + String.join(", ", all));
                }
                List<BlankInfo> blanks = TemplateGenerator.write(r.resolve("solutions"), r.resolve("homework-templates"), hw);
                out.printf("%s: %d blanks written to homework-templates/ (see homework-templates/%s/BLANKS.md)%n", hw, blanks.size(), hw);
            }
            out.flush();
            return 0;
        }
    }
}
