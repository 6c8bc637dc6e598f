package org.dllab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dllab homework pack hw1 [--dir DIR]}: the zip to upload, with only the files the student
 * edits.
 */
@Command(
        name = "pack",
        mixinStandardHelpOptions = true,
        description = "Make the zip to upload: your homework sources and REPORT.md, nothing else.")
final class HomeworkPack implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "HW", description = "e.g. hw1")
    String homework;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Your working folder (default: ./<HW>).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path work = dir != null ? dir : Path.of(homework);
        Path code = work.resolve("src/main/java/org/dllab/hw").resolve(homework);
        if (!Files.isDirectory(code)) {
            throw new IOException(
                    code.toAbsolutePath()
                            + " not found: is "
                            + work
                            + " a working copy of "
                            + homework
                            + "?");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(code)) {
            s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
        }
        if (Files.exists(work.resolve("REPORT.md"))) {
            files.add(work.resolve("REPORT.md"));
        }
        Path zip = work.resolve(homework + "-submission.zip");
        Path tmp = work.resolve(homework + "-submission.zip.tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
                ZipOutputStream z = new ZipOutputStream(os)) {
            for (Path f : files) {
                z.putNextEntry(new ZipEntry(work.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, z);
                z.closeEntry();
            }
        }
        Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Packed " + files.size() + " file(s) into " + zip.toAbsolutePath() + ":");
        files.forEach(f -> out.println("  " + work.relativize(f)));
        out.flush();
        return 0;
    }
}
