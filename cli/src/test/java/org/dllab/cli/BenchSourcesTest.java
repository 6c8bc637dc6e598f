package org.dllab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark programs in {@code bench/} are run as single source files against the built
 * classes, never by the build itself; this compiles each against the same classes, so that a change
 * to the labs' API breaks the build instead of the next person's benchmark run.
 */
class BenchSourcesTest {

    @Test
    void everyBenchProgramCompilesAgainstTheBuiltClasses(@TempDir Path classes) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("..", "bench"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(
                sources.isEmpty(), "no bench/*.java found from " + Path.of("").toAbsolutePath());
        // surefire's own class path property: java.class.path may be a manifest-only jar
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (Path source : sources) {
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status =
                    javac.run(
                            null,
                            errors,
                            errors,
                            "-proc:none",
                            "-cp",
                            classPath,
                            "-d",
                            classes.toString(),
                            source.toString());
            assertEquals(
                    0,
                    status,
                    source + " does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
    }
}
