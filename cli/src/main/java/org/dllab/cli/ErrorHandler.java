package org.dllab.cli;

import ai.djl.engine.EngineException;
import ai.djl.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into one actionable line on stderr and a non-zero status; the stack trace only with
 * {@code --verbose}. Students see "what was wrong and what to do", not forty lines of frames.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        boolean verbose = anyVerbose(parsed);
        Throwable shown = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        if (shown instanceof IllegalArgumentException) {
            cl.getErr().println("dllab: " + message);
            cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
            printTrace(verbose, shown, cl);
            return 2;
        }
        if (shown instanceof TrainingDivergedException) {
            message += " (the loss became NaN or infinite: lower --lr)";
        } else if (shown instanceof EngineException) {
            message = "the deep-learning engine failed: " + message;
        } else if (!(shown instanceof IOException)) {
            message = shown.getClass().getSimpleName() + ": " + message;
        }
        cl.getErr().println("dllab: " + message);
        if (!verbose) {
            cl.getErr().println("(run again with --verbose for the details)");
        }
        printTrace(verbose, shown, cl);
        return 1;
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
