package org.dllab.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dllab.grading.runner.HomeworkRunner;
import org.dllab.grading.runner.SourceCompiler;

/**
 * Compiles a student's or a group's own program against dllab's libraries and runs it in a JVM of
 * its own (so its crash, its {@code System.exit} or its memory never take the CLI down), offline
 * and with tracking off.
 */
final class ChildJava {

    private ChildJava() {}

    /**
     * Compiles {@code dir/src/main/java} into {@code dir/target/dllab-classes} and runs a main
     * class there.
     *
     * @param dir the project or paper folder (also the program's working directory)
     * @param mainClass e.g. {@code project.Main}
     * @param args the program's arguments
     * @param out where compiler errors go
     * @param classpath the libraries it runs with ({@link HomeworkRunner#libraryClasspath()} or
     *     {@link HomeworkRunner#projectClasspath()})
     * @return the program's exit status, or 1 when it does not compile
     * @throws IOException when the folder cannot be read
     * @throws InterruptedException when interrupted
     */
    static int compileAndRun(
            Path dir, String mainClass, List<String> args, PrintWriter out, String classpath)
            throws IOException, InterruptedException {
        Path classes = dir.resolve("target/dllab-classes");
        List<String> errors = SourceCompiler.compile(dir.resolve("src/main/java"), classes);
        if (!errors.isEmpty()) {
            out.println("The program does not compile (" + errors.size() + " error(s)):");
            errors.stream().limit(5).forEach(e -> out.println("  " + e));
            out.flush();
            return 1;
        }
        out.flush();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dai.djl.offline=true",
                                "-DOPT_OUT_TRACKING=true",
                                "-cp",
                                classes.toAbsolutePath() + File.pathSeparator + classpath,
                                mainClass));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO();
        pb.environment().put("OPT_OUT_TRACKING", "true");
        // libtorch's freed memory stays with the process, and its idle OpenMP threads sleep (see
        // NativeMemory)
        org.dllab.core.NativeMemory.SETTINGS.forEach(pb.environment()::putIfAbsent);
        return pb.start().waitFor();
    }
}
