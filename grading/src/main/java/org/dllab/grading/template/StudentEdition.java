package org.dllab.grading.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository as students may see it: everything except the reference solutions, the hidden
 * tests and what only the instructor runs (the grader's own tests and CI, which grade the
 * solutions). The build files are rewritten to match, so the edition builds and {@code dllab
 * homework start|test|pack} and the labs work in it.
 *
 * <p>Before anything is written the edition is checked: no file may contain three consecutive code
 * lines of a solution blank (a blank of one or two lines: the whole of it, when it is 40 characters
 * or more), so a solution copied into a doc or a test by mistake stops the publication instead of
 * reaching students. Shorter coincidences (a loop header the tests also use) are not leaks; lab
 * code that overlaps is published with a note (the week-6 lab builds the same network HW2 asks for:
 * the lab teaches what the homework practises).
 */
public final class StudentEdition {

    /** What stays with the instructor, as paths relative to the repository, '/'-separated. */
    private static final List<Pattern> WITHHELD =
            List.of(
                    Pattern.compile("solutions/.*"),
                    Pattern.compile("grading/src/main/java/.*HiddenTest\\.java"),
                    Pattern.compile("grading/src/test/.*"),
                    Pattern.compile("\\.ci/.*"),
                    Pattern.compile("bench/grade-throughput\\.sh"),
                    Pattern.compile("bench/exam-symptoms\\.sh"),
                    Pattern.compile("docs/exam-authoring\\.md"),
                    Pattern.compile("(.*/)?target/.*"),
                    Pattern.compile("runs/.*"),
                    Pattern.compile("bench-out/.*"),
                    Pattern.compile("\\.git/.*"));

    /**
     * What was published.
     *
     * @param files files written
     * @param withheld files left out
     * @param notes lab files that share lines with a solution (the labs teach what the homework
     *     practises: published, but the instructor should know)
     */
    public record Result(int files, int withheld, List<String> notes) {}

    private StudentEdition() {}

    /**
     * Writes the student edition.
     *
     * @param repo the instructor's repository
     * @param target an empty or absent folder
     * @return counts
     * @throws IOException when the target is not empty, or a solution line would leak (naming file
     *     and line)
     */
    public static Result publish(Path repo, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(target + " is not empty: publish into a new folder");
                }
            }
        }
        if (!Files.isDirectory(repo.resolve("solutions"))) {
            throw new IOException(repo + " has no solutions/: this is already a student edition");
        }
        List<String> all = trackedFiles(repo);
        List<String> kept = new ArrayList<>();
        int withheld = 0;
        for (String f : all) {
            if (WITHHELD.stream().anyMatch(p -> p.matcher(f).matches())) {
                withheld++;
            } else {
                kept.add(f);
            }
        }
        Set<List<String>> secrets = solutionWindows(repo.resolve("solutions"));
        List<String> notes = new ArrayList<>();
        for (String f : kept) {
            Path src = repo.resolve(f);
            if (!Files.isRegularFile(src) || Files.size(src) > (4 << 20)) {
                continue;
            }
            List<String> lines =
                    codeLines(new String(Files.readAllBytes(src), StandardCharsets.UTF_8));
            for (int i = 0; i < lines.size(); i++) {
                for (int n = 1; n <= WINDOW && i + n <= lines.size(); n++) {
                    List<String> w = lines.subList(i, i + n);
                    if (secrets.contains(w) && f.startsWith("labs/")) {
                        notes.add(
                                f
                                        + " shares lines with a reference solution ("
                                        + String.join(" ", w)
                                        + ")");
                        i = lines.size();
                        break;
                    }
                    if (secrets.contains(w)) {
                        throw new IOException(
                                "not published: "
                                        + f
                                        + " holds lines of a reference solution ("
                                        + String.join(" ", w)
                                        + "); remove them and publish again");
                    }
                }
            }
        }
        Files.createDirectories(target);
        int written = 0;
        for (String f : kept) {
            Path src = repo.resolve(f);
            if (!Files.isRegularFile(src)) {
                continue;
            }
            Path dst = target.resolve(f);
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            written++;
        }
        rewrite(target.resolve("pom.xml"), "    <module>solutions</module>\n", "");
        rewriteBlock(
                target.resolve("grading/pom.xml"),
                "<artifactId>dllab-solutions</artifactId>",
                "<dependency>",
                "</dependency>");
        rewriteBlock(
                target.resolve("grading/pom.xml"),
                "<id>mutation</id>",
                "<profiles>",
                "</profiles>");
        Files.writeString(
                target.resolve("STUDENT-EDITION.md"),
                """
                # Student edition

                This copy of dllab has the labs, the homework templates and their public tests. The reference
                solutions and the hidden tests stay with the instructor; `dllab homework test HW` runs the public
                tests, which tell you what is checked and why. Start with `./dllab homework list`.
                """);
        return new Result(written + 1, withheld, notes);
    }

    /** The repository's files: git's list where it is a git checkout, else every file. */
    private static List<String> trackedFiles(Path repo) throws IOException {
        if (Files.exists(repo.resolve(".git"))) {
            try {
                Process p =
                        new ProcessBuilder("git", "-C", repo.toString(), "ls-files", "-z")
                                .redirectErrorStream(false)
                                .start();
                byte[] out = p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    List<String> files = new ArrayList<>();
                    for (String f : new String(out, StandardCharsets.UTF_8).split("\0")) {
                        if (!f.isEmpty()) {
                            files.add(f);
                        }
                    }
                    return files;
                }
            } catch (IOException | InterruptedException noGit) {
                // fall back to the file tree
            }
        }
        try (Stream<Path> s = Files.walk(repo)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> repo.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static final int WINDOW = 3;

    /** Trimmed lines that carry code: no blanks, braces or comment-only lines. */
    private static List<String> codeLines(String text) {
        return text.lines()
                .map(String::trim)
                .filter(
                        t ->
                                !t.isEmpty()
                                        && !t.matches("[{}();]*")
                                        && !t.startsWith("//")
                                        && !t.startsWith("*")
                                        && !t.startsWith("/*"))
                .toList();
    }

    /**
     * Each solution blank's windows of three code lines (or the whole blank, when shorter and
     * distinctive).
     */
    static Set<List<String>> solutionWindows(Path solutions) throws IOException {
        Set<List<String>> windows = new HashSet<>();
        try (Stream<Path> s = Files.walk(solutions)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> block = null;
                for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String t = l.trim();
                    if (t.startsWith("// BEGIN SOLUTION")) {
                        block = new ArrayList<>();
                    } else if (t.startsWith("// END SOLUTION") && block != null) {
                        addWindows(codeLines(String.join("\n", block)), windows);
                        block = null;
                    } else if (block != null) {
                        block.add(t);
                    } else if (t.contains("// SOLUTION")) {
                        addWindows(
                                List.of(t.substring(0, t.indexOf("// SOLUTION")).trim()), windows);
                    }
                }
            }
        }
        return windows;
    }

    private static void addWindows(List<String> code, Set<List<String>> windows) {
        if (code.size() >= WINDOW) {
            for (int i = 0; i + WINDOW <= code.size(); i++) {
                windows.add(List.copyOf(code.subList(i, i + WINDOW)));
            }
        } else if (!code.isEmpty() && String.join(" ", code).length() >= 40) {
            windows.add(List.copyOf(code));
        }
    }

    private static void rewrite(Path file, String remove, String with) throws IOException {
        String s = Files.readString(file);
        if (!s.contains(remove)) {
            throw new IOException(
                    file
                            + ": expected to find "
                            + remove.trim()
                            + " (the build files changed; update StudentEdition)");
        }
        Files.writeString(file, s.replace(remove, with));
    }

    /**
     * Removes the innermost {@code open ... close} block around a marker, with its leading comment
     * lines.
     */
    private static void rewriteBlock(Path file, String marker, String open, String close)
            throws IOException {
        String s = Files.readString(file);
        int m = s.indexOf(marker);
        if (m < 0) {
            throw new IOException(
                    file
                            + ": expected to find "
                            + marker
                            + " (the build files changed; update StudentEdition)");
        }
        int start = s.lastIndexOf(open, m);
        int end = s.indexOf(close, m) + close.length();
        int lineStart = s.lastIndexOf('\n', start) + 1;
        // take the comment just above the block with it
        int commentEnd = s.lastIndexOf("-->", lineStart);
        if (commentEnd >= 0 && s.substring(commentEnd + 3, lineStart).isBlank()) {
            lineStart = s.lastIndexOf('\n', s.lastIndexOf("<!--", commentEnd)) + 1;
        }
        int lineEnd = s.indexOf('\n', end);
        Files.writeString(file, s.substring(0, lineStart) + s.substring(lineEnd + 1));
    }
}
