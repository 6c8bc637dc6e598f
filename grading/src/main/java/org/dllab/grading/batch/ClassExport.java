package org.dllab.grading.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The students of a class export (an LMS download): a folder whose entries are one folder or zip
 * per student, or a zip whose top-level folders (or zips) are the students. Zip exports are split
 * into per-student folders holding only files with safe names ({@code .java}, {@code REPORT.md},
 * nested {@code .zip}); entry paths are never used to write.
 */
public final class ClassExport {

    private static final Pattern SAFE = Pattern.compile("[\\p{L}\\p{N}._@ -]{1,120}");

    /**
     * The students found.
     *
     * @param submissions student id to their submission (folder or zip)
     * @param skipped what was ignored, and why
     */
    public record Students(Map<String, Path> submissions, List<String> skipped) {}

    private ClassExport() {}

    /**
     * Lists the students of an export.
     *
     * @param export a folder or zip
     * @param scratch where a zip export is split (created)
     * @return the students
     * @throws IOException when the export cannot be read
     */
    public static Students students(Path export, Path scratch) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        if (Files.isDirectory(export, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(export)) {
                for (Path p : s.sorted().toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.put(unique(id(name), out, name, skipped), p);
                    } else if (name.toLowerCase(Locale.ROOT).endsWith(".zip")
                            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.put(
                                unique(
                                        id(name.substring(0, name.length() - 4)),
                                        out,
                                        name,
                                        skipped),
                                p);
                    } else {
                        skipped.add(name + " (not a folder or zip)");
                    }
                }
            }
        } else if (export.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            Path root = Files.createDirectories(scratch.resolve("export"));
            try (ZipFile zip = org.dllab.grading.submission.Zips.open(export)) {
                for (ZipEntry e : zip.stream().filter(z -> !z.isDirectory()).toList()) {
                    String path = e.getName().replace('\\', '/');
                    while (path.startsWith("/") || path.startsWith("../")) {
                        path = path.replaceFirst("^(/|\\.\\./)", "");
                    }
                    String[] parts = path.split("/");
                    String base = parts[parts.length - 1];
                    String student =
                            parts.length == 1 ? base.replaceFirst("(?i)\\.zip$", "") : parts[0];
                    if (!SAFE.matcher(base).matches()
                            || !SAFE.matcher(student).matches()
                            || student.equals("..")) {
                        skipped.add(e.getName() + " (unsafe or unusual name)");
                        continue;
                    }
                    boolean wanted =
                            base.endsWith(".java")
                                    || base.equals("REPORT.md")
                                    || base.toLowerCase(Locale.ROOT).endsWith(".zip");
                    if (!wanted) {
                        continue;
                    }
                    String id = id(student);
                    Path dir = Files.createDirectories(root.resolve(id));
                    Path target = dir.resolve(base);
                    if (!target.normalize().startsWith(root.normalize())) {
                        skipped.add(e.getName() + " (escapes the export)");
                        continue;
                    }
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.write(target, in.readNBytes(64 << 20));
                    }
                    out.putIfAbsent(id, dir);
                }
            } catch (java.util.zip.ZipException e) {
                throw new IOException(export + ": a damaged zip file (" + e.getMessage() + ")", e);
            }
        } else {
            throw new IOException(export + ": a class export is a folder or a .zip file");
        }
        return new Students(out, skipped);
    }

    /**
     * Two names that clean up to the same id (e.g. differing only in undecodable bytes) both keep a
     * row.
     */
    private static String unique(
            String id, Map<String, Path> taken, String original, List<String> notes) {
        String u = id;
        for (int n = 2; taken.containsKey(u); n++) {
            u = id + "-" + n;
        }
        if (!u.equals(id)) {
            notes.add(original + " (graded as " + u + ": its name clashes with another student's)");
        }
        return u;
    }

    /** A student id usable as a file name and CSV cell. */
    static String id(String raw) {
        String s = raw.replaceAll("[^\\p{L}\\p{N}._@-]", "_");
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" : s;
    }
}
