package org.dllab.grading.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns annotated reference solutions into student templates. The grammar (Java line comments):
 *
 * <pre>
 * // BEGIN SOLUTION 中文提示 | English hint      a block of statements, replaced by
 * ...                                           //   TODO(hw1-3): 中文提示 / English hint
 * // END SOLUTION                               //   throw new UnsupportedOperationException("TODO(hw1-3): ...");
 *
 * x = expr; // SOLUTION 中文提示 | English hint  the expression replaced by Todo.value("hw1-4: ..."),
 * return expr; // SOLUTION 中文 | English        which compiles for any type
 *
 * /* BEGIN PROMPT                               template-only code: a comment in the solution,
 * code for students                             uncommented in the template
 * END PROMPT *&#47;
 *
 * // BEGIN HIDDEN ... // END HIDDEN             instructor-only lines, removed from the template
 * </pre>
 *
 * Blanks are numbered {@code hwN-1, hwN-2, ...} in file order (files sorted by path). A block must
 * end its method (the code after a {@code throw} would be unreachable), and the generated templates
 * are compiled by the {@code homework-templates} module, so a blank that breaks compilation fails
 * the build. Unmatched or nested markers and blanks without both hints are errors naming the file
 * and line.
 */
public final class TemplateGenerator {

    private static final Pattern BEGIN = Pattern.compile("^(\\s*)// BEGIN SOLUTION\\b(.*)$");
    private static final Pattern END = Pattern.compile("^\\s*// END SOLUTION\\s*$");
    private static final Pattern INLINE =
            Pattern.compile("^(\\s*)(.*?(?:\\breturn|=))\\s+(.+?);\\s*// SOLUTION\\b(.*)$");
    private static final Pattern BEGIN_PROMPT = Pattern.compile("^\\s*/\\* BEGIN PROMPT\\s*$");
    private static final Pattern END_PROMPT = Pattern.compile("^\\s*END PROMPT \\*/\\s*$");
    private static final Pattern BEGIN_HIDDEN = Pattern.compile("^\\s*// BEGIN HIDDEN\\b.*$");
    private static final Pattern END_HIDDEN = Pattern.compile("^\\s*// END HIDDEN\\s*$");

    /** The result of transforming one file. */
    public record Result(String text, List<BlankInfo> blanks) {}

    private TemplateGenerator() {}

    /**
     * Transforms one solution file into its template.
     *
     * @param source the solution's text
     * @param file its path, for messages
     * @param homework e.g. {@code hw1}, the blank-id prefix
     * @param firstNumber the number of this file's first blank
     * @return the template and its blanks
     * @throws TemplateException on a marker error
     */
    public static Result transform(String source, String file, String homework, int firstNumber) {
        String[] lines = source.split("\n", -1);
        StringBuilder out = new StringBuilder();
        List<BlankInfo> blanks = new ArrayList<>();
        int number = firstNumber;
        int openLine = 0; // line of the open BEGIN SOLUTION, 0 when none
        String state = "code"; // code, solution, prompt, hidden
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            Matcher begin = BEGIN.matcher(line);
            boolean isEnd = END.matcher(line).matches();
            boolean isBeginPrompt = BEGIN_PROMPT.matcher(line).matches();
            boolean isEndPrompt = END_PROMPT.matcher(line).matches();
            boolean isBeginHidden = BEGIN_HIDDEN.matcher(line).matches();
            boolean isEndHidden = END_HIDDEN.matcher(line).matches();
            boolean opener = begin.matches() || isBeginPrompt || isBeginHidden;
            if (opener && !state.equals("code")) {
                throw new TemplateException(
                        file,
                        lineNo,
                        "nested marker: a "
                                + state
                                + " region opened on line "
                                + openLine
                                + " is still open");
            }
            if (begin.matches()) {
                String[] hint = hint(begin.group(2), file, lineNo);
                String id = homework + "-" + number++;
                blanks.add(new BlankInfo(id, file, lineNo, hint[0], hint[1]));
                String indent = begin.group(1);
                out.append(indent)
                        .append("// TODO(")
                        .append(id)
                        .append("): ")
                        .append(hint[0])
                        .append(" / ")
                        .append(hint[1])
                        .append('\n');
                out.append(indent)
                        .append("throw new UnsupportedOperationException(\"TODO(")
                        .append(id)
                        .append("): ")
                        .append(escape(hint[1]))
                        .append("\");");
                state = "solution";
                openLine = lineNo;
            } else if (isEnd) {
                if (!state.equals("solution")) {
                    throw new TemplateException(
                            file, lineNo, "// END SOLUTION without a matching // BEGIN SOLUTION");
                }
                state = "code";
                continue; // the BEGIN line already produced the replacement's last line
            } else if (isBeginPrompt) {
                state = "prompt";
                openLine = lineNo;
                continue;
            } else if (isEndPrompt) {
                if (!state.equals("prompt")) {
                    throw new TemplateException(
                            file, lineNo, "END PROMPT */ without a matching /* BEGIN PROMPT");
                }
                state = "code";
                continue;
            } else if (isBeginHidden) {
                state = "hidden";
                openLine = lineNo;
                continue;
            } else if (isEndHidden) {
                if (!state.equals("hidden")) {
                    throw new TemplateException(
                            file, lineNo, "// END HIDDEN without a matching // BEGIN HIDDEN");
                }
                state = "code";
                continue;
            } else if (state.equals("solution") || state.equals("hidden")) {
                if (line.contains("// SOLUTION")) {
                    throw new TemplateException(
                            file,
                            lineNo,
                            "// SOLUTION inside a " + state + " region opened on line " + openLine);
                }
                continue;
            } else if (state.equals("prompt")) {
                out.append(line);
            } else if (line.contains("// SOLUTION")) {
                Matcher inline = INLINE.matcher(line);
                if (!inline.matches()) {
                    throw new TemplateException(
                            file,
                            lineNo,
                            "// SOLUTION must end a line of the form 'x = expr;' or 'return expr;'");
                }
                String[] hint = hint(inline.group(4), file, lineNo);
                String id = homework + "-" + number++;
                blanks.add(new BlankInfo(id, file, lineNo, hint[0], hint[1]));
                out.append(inline.group(1))
                        .append(inline.group(2))
                        .append(" org.dllab.homework.Todo.value(\"")
                        .append(id)
                        .append(": ")
                        .append(escape(hint[1]))
                        .append("\"); // TODO(")
                        .append(id)
                        .append("): ")
                        .append(hint[0])
                        .append(" / ")
                        .append(hint[1]);
            } else {
                out.append(line);
            }
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        if (!state.equals("code")) {
            throw new TemplateException(
                    file, openLine, "the " + state + " region opened here is never closed");
        }
        return new Result(out.toString(), blanks);
    }

    private static String[] hint(String text, String file, int line) {
        String t = text.trim();
        int bar = t.indexOf('|');
        if (bar < 0 || t.substring(0, bar).isBlank() || t.substring(bar + 1).isBlank()) {
            throw new TemplateException(
                    file,
                    line,
                    "a blank needs a hint in Traditional Chinese and English: '// BEGIN SOLUTION 中文提示 | English hint'");
        }
        return new String[] {t.substring(0, bar).trim(), t.substring(bar + 1).trim()};
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Generates the whole template of one homework, in memory: relative path to text, for every
     * file under {@code solutions/src/main/java/org/dllab/hw/<hw>/} and {@code solutions/<hw>/}
     * (README, REPORT prompt).
     *
     * @param solutionsModule the {@code solutions} module folder
     * @param homework e.g. {@code hw1}
     * @param blanksOut receives the blanks
     * @return the files, relative to the {@code homework-templates} module folder
     * @throws IOException on read failure
     */
    public static Map<String, String> generate(
            Path solutionsModule, String homework, List<BlankInfo> blanksOut) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Path code = solutionsModule.resolve("src/main/java/org/dllab/hw").resolve(homework);
        Path docs = solutionsModule.resolve(homework);
        if (!Files.isDirectory(code)) {
            throw new IOException("no solution sources for " + homework + " in " + code);
        }
        int next = 1;
        for (Path f : sorted(code)) {
            String rel = solutionsModule.relativize(f).toString().replace('\\', '/');
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Result r = transform(text, rel, homework, next);
            next += r.blanks().size();
            blanksOut.addAll(r.blanks());
            files.put(rel, r.text());
        }
        if (Files.isDirectory(docs)) {
            for (Path f : sorted(docs)) {
                files.put(
                        solutionsModule.relativize(f).toString().replace('\\', '/'),
                        Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        files.put(homework + "/BLANKS.md", blanksTable(homework, blanksOut));
        return files;
    }

    /**
     * The table of a homework's blanks, written next to the template.
     *
     * @param homework e.g. {@code hw1}
     * @param blanks the blanks
     * @return Markdown text
     */
    public static String blanksTable(String homework, List<BlankInfo> blanks) {
        StringBuilder sb =
                new StringBuilder(
                        "# "
                                + homework
                                + ": blanks to fill in / 待完成的空格\n\n"
                                + "Generated by `dllab homework generate`; do not edit.\n\n| id | file | 提示 | hint |\n|---|---|---|---|\n");
        for (BlankInfo b : blanks) {
            sb.append("| ")
                    .append(b.id())
                    .append(" | ")
                    .append(b.file().replaceFirst("^src/main/java/", ""))
                    .append(" | ")
                    .append(b.zh())
                    .append(" | ")
                    .append(b.en())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Writes the generated template into the {@code homework-templates} module, removing files of
     * that homework that the solution no longer has.
     *
     * @param solutionsModule the {@code solutions} module folder
     * @param templatesModule the {@code homework-templates} module folder
     * @param homework e.g. {@code hw1}
     * @return the blanks
     * @throws IOException on failure
     */
    public static List<BlankInfo> write(Path solutionsModule, Path templatesModule, String homework)
            throws IOException {
        List<BlankInfo> blanks = new ArrayList<>();
        Map<String, String> files = generate(solutionsModule, homework, blanks);
        for (Path old : existing(templatesModule, homework)) {
            if (!files.containsKey(templatesModule.relativize(old).toString().replace('\\', '/'))) {
                Files.delete(old);
            }
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path target = templatesModule.resolve(e.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
        }
        return blanks;
    }

    /**
     * The files that differ between what the generator would write and what is in {@code
     * homework-templates/}.
     *
     * @param solutionsModule the {@code solutions} module folder
     * @param templatesModule the {@code homework-templates} module folder
     * @param homework e.g. {@code hw1}
     * @return relative paths that are missing, changed or extra; empty when in sync
     * @throws IOException on failure
     */
    public static List<String> drift(Path solutionsModule, Path templatesModule, String homework)
            throws IOException {
        Map<String, String> files = generate(solutionsModule, homework, new ArrayList<>());
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path target = templatesModule.resolve(e.getKey());
            if (!Files.exists(target)
                    || !Files.readString(target, StandardCharsets.UTF_8).equals(e.getValue())) {
                diff.add(e.getKey());
            }
        }
        for (Path p : existing(templatesModule, homework)) {
            String rel = templatesModule.relativize(p).toString().replace('\\', '/');
            if (!files.containsKey(rel)) {
                diff.add(rel + " (not in the solution)");
            }
        }
        return diff;
    }

    /**
     * The homeworks that have solution sources.
     *
     * @param solutionsModule the {@code solutions} module folder
     * @return e.g. {@code [hw1, hw2]}
     * @throws IOException on failure
     */
    public static List<String> homeworks(Path solutionsModule) throws IOException {
        Path root = solutionsModule.resolve("src/main/java/org/dllab/hw");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("hw\\d+"))
                    .sorted()
                    .toList();
        }
    }

    private static List<Path> existing(Path templatesModule, String homework) throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path dir :
                List.of(
                        templatesModule.resolve("src/main/java/org/dllab/hw").resolve(homework),
                        templatesModule.resolve(homework))) {
            if (Files.isDirectory(dir)) {
                all.addAll(sorted(dir));
            }
        }
        return all;
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
