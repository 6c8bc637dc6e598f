package org.dllab.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code dllab}: the course's command-line runner. */
@Command(
        name = "dllab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Deep learning labs, homework and grading on DJL (PyTorch engine).",
        subcommands = {
            LabsCommand.class,
            RunCommand.class,
            RunsCommand.class,
            DataCommand.class,
            HomeworkCommand.class,
            GradeCommand.class,
            ExamCommand.class,
            QuizCommand.class,
            ProjectCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        footer = {
            "",
            "Examples:",
            "  dllab labs                          list the labs",
            "  dllab run mnist-mlp                 train the week-5 MLP on MNIST",
            "  dllab runs compare runs/lr-*        a sweep's run folders side by side, with a plot",
            "  dllab data verify mnist             check the MNIST files",
            "  dllab homework generate             regenerate the student templates",
            "  dllab exam generate midterm --class roster.csv --out exam/   per-student midterm papers",
            "  dllab quiz take w06                 practise week 6's quiz in the terminal",
            "  source <(dllab generate-completion) tab completion in bash/zsh",
            "",
            "Data: --data-dir, then $DLLAB_DATA, then ~/.dllab/datasets (downloads). DLLAB_OFFLINE=1 forbids downloads."
        })
public final class DllabCommand implements Runnable {

    @Spec CommandSpec spec;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Show stack traces on errors.")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "missing command: try 'dllab labs' or 'dllab --help'");
    }
}
