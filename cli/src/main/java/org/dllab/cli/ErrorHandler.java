package org.dllab.cli;

import ai.djl.TrainingDivergedException;
import ai.djl.engine.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one actionable line on stderr and a non-zero status; the stack trace only
 * with {@code --verbose}. Students see "what was wrong and what to do", not forty lines of frames.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        boolean verbose = anyVerbose(parsed);
        Throwable shown = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String message =
                shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        if (shown instanceof IllegalArgumentException) {
            cl.getErr().println("dllab: " + message);
            cl.getErr()
                    .println(
                            "Try '"
                                    + cl.getCommandSpec().qualifiedName()
                                    + " --help' for the options.");
            printTrace(verbose, shown, cl);
            return 2;
        }
        if (shown instanceof org.dllab.run.TrainingStoppedException stopped) {
            cl.getErr().println("dllab: " + message);
            return stopped.exitStatus(); // 130 after Ctrl-C, 143 after SIGTERM, 1 diverged
        }
        if (shown instanceof TrainingDivergedException) {
            message += " (the loss became NaN or infinite: lower --lr)";
        } else if (shown instanceof EngineException) {
            message = "the deep-learning engine failed: " + message;
        } else if (!(shown instanceof IOException)
                && !(shown instanceof org.dllab.grading.runner.SandboxUnavailableException)
                && !(shown instanceof org.dllab.grading.competition.SubmissionException)
                && !(shown instanceof org.dllab.grading.exam.ExamFormatException)) {
            message = shown.getClass().getSimpleName() + ": " + message;
        }
        cl.getErr().println("dllab: " + message);
        if (!verbose) {
            cl.getErr().println("(run again with --verbose for the details)");
        }
        printTrace(verbose, shown, cl);
        return 1;
    }

    /**
     * A command line that does not parse (unknown option, {@code --epochs abc}, a missing value):
     * the error and where to look, in two lines, not the whole usage text; a near-miss option name
     * gets picocli's suggestion.
     *
     * @param ex the error
     * @param args the arguments
     * @return 2
     */
    static int handleParameterException(picocli.CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("dllab: " + ex.getMessage());
        picocli.CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
        cl.getErr()
                .println(
                        "Try '"
                                + cl.getCommandSpec().qualifiedName()
                                + " --help' for the options.");
        return 2;
    }

    private static boolean anyVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static void printTrace(boolean verbose, Throwable t, CommandLine cl) {
        if (verbose) {
            t.printStackTrace(cl.getErr());
        }
    }
}
