package org.dllab.grading.submission;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Copies only the expected files of a submission into a fresh staging folder: the homework's source
 * files, found by name anywhere in the submission (LMS exports nest them arbitrarily), and {@code
 * REPORT.md}. Nothing else is read; zip entries are never extracted to disk by their own names, so
 * an entry like {@code ../../x}, an absolute path or a link cannot write outside the staging
 * folder, and a link entry is never followed.
 */
public final class Staging {

    /** Largest file accepted (a homework source is a few kB). */
    public static final long MAX_FILE_BYTES = 1 << 20;

    /**
     * What was staged.
     *
     * @param sources the staged source root ({@code src/main/java})
     * @param found the expected file names that were found
     * @param missing the expected file names that were not
     * @param notes anything the student should know (duplicates, oversized or skipped entries)
     */
    public record Result(
            Path sources, List<String> found, List<String> missing, List<String> notes) {}

    private Staging() {}

    /**
     * Stages a submission.
     *
     * @param submission a folder or a {@code .zip}
     * @param homework e.g. {@code hw1}
     * @param expectedSources the homework's source file names (e.g. {@code Linear.java})
     * @param staging an empty folder to fill
     * @return what was staged
     * @throws IOException when the submission cannot be read
     */
    public static Result stage(
            Path submission, String homework, Set<String> expectedSources, Path staging)
            throws IOException {
        Path sources = staging.resolve("src/main/java");
        Path pkg = sources.resolve(org.dllab.grading.Assignments.sourceFolder(homework));
        Files.createDirectories(pkg);
        List<String> found = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (Files.isDirectory(submission, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(submission)) {
                for (Path p :
                        walk.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS))
                                .sorted()
                                .toList()) {
                    String name = p.getFileName().toString();
                    if (expectedSources.contains(name) || name.equals("REPORT.md")) {
                        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                            take(
                                    name,
                                    in,
                                    Files.size(p),
                                    name.equals("REPORT.md") ? staging : pkg,
                                    found,
                                    notes);
                        }
                    }
                }
            }
        } else if (submission
                .getFileName()
                .toString()
                .toLowerCase(java.util.Locale.ROOT)
                .endsWith(".zip")) {
            // commons-compress: it tells symbolic links apart and decodes names that are not valid
            // UTF-8 without failing
            try (ZipFile zip = ZipFile.builder().setPath(submission).get()) {
                List<ZipArchiveEntry> entries = java.util.Collections.list(zip.getEntries());
                entries.sort(java.util.Comparator.comparing(ZipArchiveEntry::getName));
                for (ZipArchiveEntry e : entries) {
                    if (e.isDirectory()) {
                        continue;
                    }
                    String name =
                            e.getName()
                                    .substring(e.getName().replace('\\', '/').lastIndexOf('/') + 1);
                    if (expectedSources.contains(name) || name.equals("REPORT.md")) {
                        if (e.isUnixSymlink()) {
                            notes.add(
                                    e.getName()
                                            + " is a symbolic link in the zip, not a file, and was not graded");
                            continue;
                        }
                        try (InputStream in = zip.getInputStream(e)) {
                            take(
                                    name,
                                    in,
                                    e.getSize(),
                                    name.equals("REPORT.md") ? staging : pkg,
                                    found,
                                    notes);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IOException(
                        submission.getFileName()
                                + ": not a readable zip file ("
                                + e.getMessage()
                                + "); "
                                + "submit the zip that 'dllab homework pack' makes, or a folder",
                        e);
            }
        } else {
            throw new IOException(submission + ": a submission is a folder or a .zip file");
        }
        List<String> missing =
                expectedSources.stream().filter(n -> !found.contains(n)).sorted().toList();
        return new Result(sources, found, missing, notes);
    }

    private static void take(
            String name,
            InputStream in,
            long size,
            Path dir,
            List<String> found,
            List<String> notes)
            throws IOException {
        if (found.contains(name)) {
            notes.add("several files named " + name + ": the first (in path order) was graded");
            return;
        }
        byte[] data = in.readNBytes((int) MAX_FILE_BYTES + 1);
        if (data.length > MAX_FILE_BYTES || size > MAX_FILE_BYTES) {
            notes.add(name + " is larger than " + MAX_FILE_BYTES + " bytes and was not graded");
            return;
        }
        Files.write(
                dir.resolve(name),
                data); // a fixed name in a fixed folder: the entry's path is never used
        found.add(name);
    }
}
