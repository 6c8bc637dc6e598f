package org.dllab.grading.exam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One student's copy of the exam program: the master with the chosen slots replaced by their
 * variants and every marker removed, so nothing on the paper says where a slot is.
 */
public final class Paper {

    private static final Pattern BUG = Pattern.compile("\\s*//\\s*BUG\\s+([a-z0-9][a-z0-9-]*)\\s*");
    private static final Pattern END = Pattern.compile("\\s*//\\s*END BUG\\s*");

    private Paper() {}

    /**
     * Writes a rendered paper as a source tree: {@code root/src/main/java/<package>/<File>.java}.
     *
     * @param master the exam (for its package)
     * @param files the rendered files
     * @param root the paper's folder
     * @return the package folder written
     * @throws java.io.IOException when a file cannot be written
     */
    public static java.nio.file.Path write(
            ExamMaster master, Map<String, String> files, java.nio.file.Path root)
            throws java.io.IOException {
        java.nio.file.Path pkg =
                root.resolve("src/main/java").resolve(master.packageName().replace('.', '/'));
        java.nio.file.Files.createDirectories(pkg);
        for (Map.Entry<String, String> f : files.entrySet()) {
            java.nio.file.Files.writeString(
                    pkg.resolve(f.getKey()), f.getValue(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return pkg;
    }

    /**
     * Renders a paper.
     *
     * @param master the exam
     * @param broken slot id to variant id, for the slots this paper breaks (empty: the master
     *     without markers)
     * @return file name to source text
     * @throws IllegalArgumentException when a slot or variant is unknown
     */
    public static Map<String, String> render(ExamMaster master, Map<String, String> broken) {
        for (Map.Entry<String, String> e : broken.entrySet()) {
            master.slot(e.getKey())
                    .variant(e.getValue()); // unknown ids fail here, before anything is written
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : master.sources().entrySet()) {
            StringBuilder text = new StringBuilder();
            String[] lines = f.getValue().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                var bug = BUG.matcher(lines[i]);
                if (bug.matches()) {
                    BugSlot slot = master.slot(bug.group(1));
                    String variant = broken.get(slot.id());
                    List<String> code =
                            variant == null ? slot.correct() : slot.variant(variant).lines();
                    code.forEach(l -> text.append(l).append('\n'));
                    while (!END.matcher(lines[i]).matches()) {
                        i++;
                    }
                    continue;
                }
                text.append(lines[i]);
                if (i < lines.length - 1) {
                    text.append('\n');
                }
            }
            out.put(f.getKey(), text.toString());
        }
        return out;
    }
}
