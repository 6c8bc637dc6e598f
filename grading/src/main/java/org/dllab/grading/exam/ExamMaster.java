package org.dllab.grading.exam;

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
 * An exam's master program and its bug slots. A slot is written in the correct code as
 *
 * <pre>
 * // BUG loss-softmax
 * // en: what the mistake is and what finding it teaches
 * // zh: 同一段說明（繁體中文）
 * NDArray logProbabilities = logits.logSoftmax(1);      (the master's lines)
 * // VARIANT double-softmax: a one-line note for the key
 * // &gt; NDArray logProbabilities = logits.softmax(1).logSoftmax(1);
 * // VARIANT batch-axis: ...
 * // &gt; ...
 * // END BUG
 * </pre>
 *
 * A variant's lines are {@code // > code} (the code keeps the indentation of its comment); a
 * variant without lines deletes the master's lines. Every slot needs both descriptions and at least
 * one variant that differs from the master. The master compiles as it is: it is the fully correct
 * paper.
 *
 * @param id the exam's id, e.g. {@code midterm}
 * @param packageName the Java package of its program, e.g. {@code org.dllab.exam.midterm}
 * @param sources file name to source text, in name order
 * @param slots the slots, in file and line order
 */
public record ExamMaster(
        String id, String packageName, Map<String, String> sources, List<BugSlot> slots) {

    private static final Pattern BUG = Pattern.compile("//\\s*BUG\\s+([a-z0-9][a-z0-9-]*)\\s*$");
    private static final Pattern VARIANT =
            Pattern.compile("//\\s*VARIANT\\s+([a-z0-9][a-z0-9-]*)\\s*:\\s*(\\S.*)$");
    private static final Pattern DESCRIPTION = Pattern.compile("//\\s*(en|zh):\\s*(\\S.*)$");
    private static final Pattern CODE = Pattern.compile("//\\s?>( (.*))?$");
    private static final Pattern END = Pattern.compile("//\\s*END BUG\\s*$");
    private static final Pattern MARKER = Pattern.compile("//\\s*(BUG|VARIANT|END BUG)\\b.*");

    /** Copies the collections. */
    public ExamMaster {
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        slots = List.copyOf(slots);
    }

    /**
     * Reads an exam's master from the solutions module.
     *
     * @param solutionsModule the {@code solutions} folder
     * @param examId e.g. {@code midterm}
     * @return the master
     * @throws IOException when the folder cannot be read or is not an exam
     * @throws ExamFormatException when a marker is malformed
     */
    public static ExamMaster load(Path solutionsModule, String examId) throws IOException {
        if (!examId.matches("[a-z][a-z0-9-]*")) {
            throw new IOException(
                    "'" + examId + "' is not an exam id (lower-case letters, digits and '-')");
        }
        Path dir =
                solutionsModule
                        .resolve("src/main/java/org/dllab/exam")
                        .resolve(examId.replace('-', '_'));
        if (!Files.isDirectory(dir)) {
            throw new IOException(
                    "no exam '"
                            + examId
                            + "': "
                            + dir
                            + " does not exist (exams: "
                            + available(solutionsModule)
                            + ")");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f :
                    s.filter(p -> p.getFileName().toString().endsWith(".java")).sorted().toList()) {
                sources.put(
                        f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return parse(examId, "org.dllab.exam." + examId.replace('-', '_'), sources);
    }

    /**
     * The exams a solutions module holds.
     *
     * @param solutionsModule the {@code solutions} folder
     * @return their ids
     * @throws IOException when the folder cannot be listed
     */
    public static List<String> available(Path solutionsModule) throws IOException {
        Path root = solutionsModule.resolve("src/main/java/org/dllab/exam");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString().replace('_', '-'))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Reads the slots of a master's sources.
     *
     * @param examId the exam's id
     * @param packageName its package
     * @param sources file name to text
     * @return the master
     * @throws ExamFormatException with every problem found, each as {@code file:line: what}
     */
    public static ExamMaster parse(String examId, String packageName, Map<String, String> sources) {
        List<String> problems = new ArrayList<>();
        List<BugSlot> slots = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            parseFile(e.getKey(), e.getValue(), slots, problems);
        }
        Map<String, BugSlot> seen = new LinkedHashMap<>();
        for (BugSlot s : slots) {
            BugSlot before = seen.putIfAbsent(s.id(), s);
            if (before != null) {
                problems.add(
                        s.file()
                                + ":"
                                + s.line()
                                + ": slot id '"
                                + s.id()
                                + "' is already used at "
                                + before.file()
                                + ":"
                                + before.line());
            }
        }
        if (slots.isEmpty() && problems.isEmpty()) {
            problems.add(examId + ": the master has no // BUG slots");
        }
        if (!problems.isEmpty()) {
            throw new ExamFormatException(problems);
        }
        return new ExamMaster(examId, packageName, sources, slots);
    }

    private static void parseFile(
            String file, String text, List<BugSlot> slots, List<String> problems) {
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String t = lines[i].trim();
            Matcher bug = BUG.matcher(t);
            if (bug.matches()) {
                i = parseSlot(file, lines, i, bug.group(1), slots, problems);
            } else if (MARKER.matcher(t).matches()) {
                problems.add(
                        file
                                + ":"
                                + (i + 1)
                                + ": '"
                                + t
                                + "' outside a // BUG block (or a // BUG line without an id)");
                i++;
            } else {
                i++;
            }
        }
    }

    /** Reads one slot starting at its BUG line; returns the index after its END line. */
    private static int parseSlot(
            String file,
            String[] lines,
            int start,
            String id,
            List<BugSlot> slots,
            List<String> problems) {
        String where = file + ":" + (start + 1) + ": slot " + id;
        Map<String, String> descriptions = new LinkedHashMap<>();
        List<String> correct = new ArrayList<>();
        List<BugSlot.Variant> variants = new ArrayList<>();
        String variantId = null;
        String variantNote = null;
        List<String> variantLines = null;
        int i = start + 1;
        for (; i < lines.length; i++) {
            String raw = lines[i];
            String t = raw.trim();
            Matcher m;
            if (END.matcher(t).matches()) {
                break;
            } else if (BUG.matcher(t).matches()) {
                problems.add(
                        file
                                + ":"
                                + (i + 1)
                                + ": a // BUG block inside slot "
                                + id
                                + " (blocks cannot nest; is its // END BUG missing?)");
                return i;
            } else if ((m = VARIANT.matcher(t)).matches()) {
                if (variantId != null) {
                    variants.add(new BugSlot.Variant(variantId, variantNote, variantLines));
                }
                variantId = m.group(1);
                variantNote = m.group(2);
                variantLines = new ArrayList<>();
                String vid = variantId;
                if (variants.stream().anyMatch(v -> v.id().equals(vid))) {
                    problems.add(
                            file
                                    + ":"
                                    + (i + 1)
                                    + ": slot "
                                    + id
                                    + " has two variants named '"
                                    + vid
                                    + "'");
                }
            } else if (variantId != null) {
                Matcher code = CODE.matcher(t);
                if (!code.matches()) {
                    problems.add(
                            file
                                    + ":"
                                    + (i + 1)
                                    + ": in variant "
                                    + variantId
                                    + " of slot "
                                    + id
                                    + ", every line must be '// > code' (or the next // VARIANT, or // END BUG)");
                    continue;
                }
                String indent = raw.substring(0, raw.indexOf("//"));
                variantLines.add(code.group(2) == null ? "" : indent + code.group(2));
            } else if (correct.isEmpty() && (m = DESCRIPTION.matcher(t)).matches()) {
                if (descriptions.put(m.group(1), m.group(2)) != null) {
                    problems.add(
                            file
                                    + ":"
                                    + (i + 1)
                                    + ": slot "
                                    + id
                                    + " has two '"
                                    + m.group(1)
                                    + ":' descriptions");
                }
            } else if (MARKER.matcher(t).matches() || t.startsWith("// VARIANT")) {
                problems.add(
                        file
                                + ":"
                                + (i + 1)
                                + ": malformed marker '"
                                + t
                                + "' (expected '// VARIANT id: note')");
            } else {
                correct.add(raw);
            }
        }
        if (i >= lines.length) {
            problems.add(where + " has no // END BUG");
            return i;
        }
        if (variantId != null) {
            variants.add(new BugSlot.Variant(variantId, variantNote, variantLines));
        }
        for (String lang : List.of("en", "zh")) {
            if (!descriptions.containsKey(lang)) {
                problems.add(
                        where
                                + " has no '// "
                                + lang
                                + ": ...' description (right after the // BUG line)");
            }
        }
        if (variants.isEmpty()) {
            problems.add(where + " has no // VARIANT");
        }
        for (BugSlot.Variant v : variants) {
            if (strip(v.lines()).equals(strip(correct))) {
                problems.add(where + ": variant " + v.id() + " is the same code as the master");
            }
        }
        slots.add(
                new BugSlot(
                        id,
                        file,
                        start + 1,
                        descriptions.getOrDefault("en", ""),
                        descriptions.getOrDefault("zh", ""),
                        correct,
                        variants));
        return i + 1;
    }

    private static List<String> strip(List<String> lines) {
        return lines.stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * The number of buggy variants over all slots.
     *
     * @return the count
     */
    public int variantCount() {
        return slots.stream().mapToInt(s -> s.variants().size()).sum();
    }

    /**
     * A slot by id.
     *
     * @param slotId its id
     * @return the slot
     * @throws IllegalArgumentException when there is none
     */
    public BugSlot slot(String slotId) {
        return slots.stream()
                .filter(s -> s.id().equals(slotId))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "exam " + id + " has no slot '" + slotId + "'"));
    }
}
