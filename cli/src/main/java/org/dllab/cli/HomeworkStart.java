package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dllab homework start hw1 [--dir DIR]}: a working copy of the template for a student. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description =
                "Copy a homework's template into a working folder (default ./HW) that you edit in any IDE.")
final class HomeworkStart implements Callable<Integer> {

    @ParentCommand HomeworkCommand parent;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "HW", description = "e.g. hw1")
    String homework;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "The working folder (default: ./<HW>); must not exist or be empty.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path root = parent.root();
        Path templates = root.resolve("homework-templates");
        Path code = templates.resolve("src/main/java/org/dllab/hw").resolve(homework);
        if (!Files.isDirectory(code)) {
            throw new IllegalArgumentException(
                    "unknown homework '"
                            + homework
                            + "' (no template in "
                            + code
                            + "); see 'dllab homework list'");
        }
        Path target = dir != null ? dir : Path.of(homework);
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(
                            target.toAbsolutePath()
                                    + " already exists and is not empty: your work there is kept; "
                                    + "choose another folder with --dir");
                }
            }
        }
        Path dest = target.resolve("src/main/java/org/dllab/hw").resolve(homework);
        Files.createDirectories(dest);
        try (Stream<Path> s = Files.list(code)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Files.copy(f, dest.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        for (String doc : new String[] {"README.md", "REPORT.md", "BLANKS.md"}) {
            Path f = templates.resolve(homework).resolve(doc);
            if (Files.exists(f)) {
                Files.copy(f, target.resolve(doc));
            }
        }
        Files.writeString(target.resolve(".dllab-homework"), homework + "\n");
        // the public tests as test sources, to run and debug in an IDE or with 'mvn -o test'
        // (hidden ones are not in the student edition)
        Path tests = root.resolve("grading/src/main/java/org/dllab/grading").resolve(homework);
        Path testDest = target.resolve("src/test/java/org/dllab/grading").resolve(homework);
        Files.createDirectories(testDest);
        try (Stream<Path> s = Files.list(tests)) {
            for (Path f :
                    s.filter(p -> p.getFileName().toString().endsWith("PublicTest.java"))
                            .toList()) {
                Files.copy(f, testDest.resolve(f.getFileName()));
            }
        }
        WorkingCopyPom.write(target, homework, "dllab " + homework + " (working copy)", true);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Started " + homework + " in " + target.toAbsolutePath());
        out.println(
                "  read README.md and BLANKS.md, fill in every TODO("
                        + homework
                        + "-N) under src/main/java, then:");
        out.println(
                "  dllab homework test "
                        + homework
                        + " --dir "
                        + target
                        + "    (public tests, points per blank)");
        out.println(
                "  dllab homework pack "
                        + homework
                        + " --dir "
                        + target
                        + "    (the zip to upload)");
        out.println(
                "  or open "
                        + target
                        + " in your IDE as a Maven project (pom.xml): the public tests are under src/test/java");
        out.flush();
        return 0;
    }
}
