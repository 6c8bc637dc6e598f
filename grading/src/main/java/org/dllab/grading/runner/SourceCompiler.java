package org.dllab.grading.runner;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.dllab.core.FileTrees;

/**
 * Compiles a homework's Java sources against dllab's libraries (without any template or solution
 * classes).
 */
public final class SourceCompiler {

    private SourceCompiler() {}

    /**
     * Compiles every {@code .java} under {@code sources} into {@code classes}.
     *
     * @param sources the source root
     * @param classes the output folder (emptied first)
     * @return the compiler's errors, {@code file:line: message}; empty on success
     * @throws IOException on file errors
     */
    public static List<String> compile(Path sources, Path classes) throws IOException {
        return compile(sources, classes, task -> null);
    }

    /**
     * Compiles, with a listener in the compiler's task (a scan of the resolved sources, done in the
     * same pass).
     *
     * @param sources the source root
     * @param classes the output folder (emptied first)
     * @param listener makes the listener for the task, or returns null for none
     * @return the compiler's errors, {@code file:line: message}; empty on success
     * @throws IOException on file errors
     */
    public static List<String> compile(
            Path sources,
            Path classes,
            java.util.function.Function<
                            com.sun.source.util.JavacTask, com.sun.source.util.TaskListener>
                    listener)
            throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IOException("no Java compiler in this runtime: dllab needs a JDK, not a JRE");
        }
        List<File> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        if (files.isEmpty()) {
            return List.of(sources + ": no .java files");
        }
        FileTrees.delete(classes);
        Files.createDirectories(classes);
        String classpath = HomeworkRunner.childLibraryClasspath();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm =
                compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options =
                    List.of(
                            "-d",
                            classes.toString(),
                            "-cp",
                            classpath,
                            "-encoding",
                            "UTF-8",
                            "-nowarn",
                            "--release",
                            "17");
            com.sun.source.util.JavacTask task =
                    (com.sun.source.util.JavacTask)
                            compiler.getTask(
                                    new StringWriter(),
                                    fm,
                                    diagnostics,
                                    options,
                                    null,
                                    fm.getJavaFileObjectsFromFiles(files));
            com.sun.source.util.TaskListener l = listener.apply(task);
            if (l != null) {
                task.addTaskListener(l);
            }
            boolean ok = task.call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String where =
                            d.getSource() == null
                                    ? ""
                                    : sources.toAbsolutePath()
                                                    .normalize()
                                                    .relativize(Path.of(d.getSource().toUri()))
                                            + ":"
                                            + d.getLineNumber()
                                            + ": ";
                    errors.add(where + d.getMessage(Locale.ROOT));
                }
            }
            if (!ok && errors.isEmpty()) {
                errors.add("compilation failed");
            }
            return errors;
        }
    }

    /**
     * The compiled classes that lie outside the homework's package. Homework code declaring itself
     * in a grader's package would share that package with the tests (and reach what is
     * package-private in them), or put a class of a hidden test's name on the classpath; such code
     * is refused like code that does not compile.
     *
     * @param classes the compiled classes
     * @param homeworkPackage e.g. {@code org.dllab.hw.hw1}
     * @return one error per class file outside it; empty when all are inside
     * @throws IOException on read errors
     */
    public static List<String> outsidePackage(Path classes, String homeworkPackage)
            throws IOException {
        Path inside = classes.resolve(homeworkPackage.replace('.', '/'));
        try (Stream<Path> s = Files.walk(classes)) {
            return s.filter(
                            p ->
                                    p.toString().endsWith(".class")
                                            && !(p.startsWith(inside)
                                                    && p.getParent().equals(inside)))
                    .map(
                            p ->
                                    classes.relativize(p)
                                            + ": every class must be in package "
                                            + homeworkPackage
                                            + " (the package the template declares)")
                    .sorted()
                    .toList();
        }
    }
}
