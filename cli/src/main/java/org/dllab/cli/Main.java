package org.dllab.cli;

import org.dllab.core.DjlRuntime;
import picocli.CommandLine;

/** Entry point of the {@code dllab} command. */
public final class Main {

    private Main() {}

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting (tests).
     *
     * @param args the arguments
     * @return the exit status: 0 success, 1 failure, 2 bad usage
     */
    public static int execute(String... args) {
        DjlRuntime.prepare(); // before any DJL class loads: offline, no tracking
        return newCommandLine().execute(args);
    }

    /**
     * The configured command line (tests use it to capture output).
     *
     * @return the command line
     */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new DllabCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(ErrorHandler::handleParameterException);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        return cl;
    }
}
