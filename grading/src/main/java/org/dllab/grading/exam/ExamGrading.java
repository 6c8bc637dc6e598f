package org.dllab.grading.exam;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dllab.grading.runner.TestOutcome;
import org.dllab.grading.submission.GradeReport;
import org.dllab.grading.submission.Grader;

/**
 * Grades exam papers by behaviour, with the homework grader (sandbox, child JVM, signed results):
 * each student's submission is graded against their own paper (a file they did not hand in counts
 * as their paper's, unfixed), and every slot's check decides that slot. A slot broken on the paper
 * earns its point when its check passes; a slot that was working and no longer passes costs a point
 * (a "fix" that broke something else); the total is never below 0.
 */
public final class ExamGrading {

    /**
     * One slot's outcome for one student.
     *
     * @param slot the slot id
     * @param variant the variant on the student's paper, or null when the slot was not broken there
     * @param passes whether its check passes on the submission
     * @param points +1 (fixed), 0, or -1 (broken by the student)
     * @param message the check's message when it fails
     */
    public record SlotResult(
            String slot, String variant, boolean passes, int points, String message) {}

    /**
     * One concept question's outcome.
     *
     * @param number its number on the paper, from 1
     * @param response what the student wrote in {@code answers.txt}
     * @param answer the right answer
     * @param right whether the response is accepted
     * @param points earned
     */
    public record ConceptResult(
            int number, String response, String answer, boolean right, double points) {}

    /**
     * One student's exam grade.
     *
     * @param student the id
     * @param score debugging points earned (fixed slots minus working slots broken, at least 0)
     * @param maxScore the slots broken on the paper
     * @param slots every slot's outcome
     * @param notes what the student should know (not compiling, missing files, no submission)
     * @param seconds grading time
     * @param conceptScore concept-question points earned
     * @param conceptMax concept-question points possible
     * @param concepts each concept question's outcome
     */
    public record Result(
            String student,
            double score,
            double maxScore,
            List<SlotResult> slots,
            List<String> notes,
            double seconds,
            double conceptScore,
            double conceptMax,
            List<ConceptResult> concepts) {}

    private final Grader grader;
    private final ExamMaster master;
    private final ExamKey key;
    private final Concepts concepts;

    /**
     * Creates the grading of one exam.
     *
     * @param grader the configured homework grader (sandbox, time limits, threads)
     * @param master the exam
     * @param key its key
     */
    public ExamGrading(Grader grader, ExamMaster master, ExamKey key) {
        this(grader, master, key, Concepts.NONE);
    }

    /**
     * Creates the grading of one exam with concept questions.
     *
     * @param grader the configured homework grader (sandbox, time limits, threads)
     * @param master the exam
     * @param key its key
     * @param concepts its concept questions, answered in each submission's {@code answers.txt}
     */
    public ExamGrading(Grader grader, ExamMaster master, ExamKey key, Concepts concepts) {
        if (!key.exam().equals(master.id())) {
            throw new IllegalArgumentException(
                    "the key is for exam '" + key.exam() + "', not '" + master.id() + "'");
        }
        this.grader = grader;
        this.master = master;
        this.key = key;
        this.concepts = concepts;
    }

    /**
     * Grades one student's submission.
     *
     * @param student the id (must be in the key)
     * @param submission the folder or zip, or null when the student handed nothing in
     * @param work a scratch folder for this student
     * @return the grade
     * @throws IOException on an unreadable submission
     * @throws InterruptedException when interrupted
     */
    public Result grade(String student, Path submission, Path work)
            throws IOException, InterruptedException {
        Map<String, String> broken = key.papers().get(student);
        if (broken == null) {
            throw new IllegalArgumentException(
                    "student '"
                            + student
                            + "' is not in the exam's key (was the paper generated for them?)");
        }
        List<ConceptResult> conceptResults = concepts(student, submission);
        if (submission == null) {
            return score(
                    student,
                    broken,
                    Map.of(),
                    Map.of(),
                    List.of("no submission: the paper as handed out was graded"),
                    0,
                    conceptResults);
        }
        org.dllab.core.FileTrees.delete(work);
        Path paper = work.resolve("paper");
        Paper.write(master, Paper.render(master, broken), paper);
        GradeReport report =
                grader.withTemplates(paper)
                        .grade(master.id(), submission, student, work.resolve("grading"));
        Map<String, Boolean> passes = new LinkedHashMap<>();
        Map<String, String> messages = new LinkedHashMap<>();
        for (TestOutcome t : report.tests()) {
            for (String slot : t.blanks()) {
                passes.put(slot, t.passed());
                messages.put(slot, t.passed() ? "" : t.output());
            }
        }
        return score(
                student,
                broken,
                passes,
                messages,
                report.notes(),
                report.seconds(),
                conceptResults);
    }

    private List<ConceptResult> concepts(String student, Path submission) throws IOException {
        List<org.dllab.grading.quiz.Question.Instance> paper =
                concepts.paper(master.id(), student, key.salt());
        List<String> responses = Concepts.answers(submission, paper.size());
        List<ConceptResult> out = new ArrayList<>();
        for (int i = 0; i < paper.size(); i++) {
            boolean right = paper.get(i).accepts(responses.get(i));
            out.add(
                    new ConceptResult(
                            i + 1,
                            responses.get(i),
                            paper.get(i).answerText(),
                            right,
                            right ? concepts.refs().get(i).points() : 0));
        }
        return out;
    }

    /**
     * Slots with no check outcome (nothing ran) count as the paper handed out: broken ones fail,
     * others pass.
     */
    private Result score(
            String student,
            Map<String, String> broken,
            Map<String, Boolean> passes,
            Map<String, String> messages,
            List<String> notes,
            double seconds,
            List<ConceptResult> conceptResults) {
        List<SlotResult> slots = new ArrayList<>();
        int total = 0;
        for (BugSlot s : master.slots()) {
            String variant = broken.get(s.id());
            boolean ok = passes.getOrDefault(s.id(), variant == null);
            int points = variant != null ? (ok ? 1 : 0) : (ok ? 0 : -1);
            total += points;
            slots.add(
                    new SlotResult(s.id(), variant, ok, points, messages.getOrDefault(s.id(), "")));
        }
        return new Result(
                student,
                Math.max(0, total),
                broken.size(),
                slots,
                List.copyOf(notes),
                seconds,
                conceptResults.stream().mapToDouble(ConceptResult::points).sum(),
                concepts.refs().stream().mapToDouble(Concepts.Ref::points).sum(),
                List.copyOf(conceptResults));
    }

    /**
     * Grades a class: one submission per student of the key, found under {@code submissions} as
     * {@code ID.zip} or a folder {@code ID} (at any depth, as LMS exports nest them). Resumable: a
     * student whose {@code result.json} is already in {@code out} is not graded again.
     *
     * @param submissions the folder of submissions
     * @param out the report folder: {@code grades.csv}, {@code summary.md}, {@code
     *     students/ID/{result.json, feedback.md}}
     * @param log progress
     * @return every student's result, in key order
     * @throws IOException when the folders cannot be read or written
     * @throws InterruptedException when interrupted
     */
    public List<Result> gradeClass(Path submissions, Path out, PrintStream log)
            throws IOException, InterruptedException {
        Map<String, Path> found = findSubmissions(submissions);
        List<Result> results = new ArrayList<>();
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        int i = 0;
        for (String student : key.papers().keySet()) {
            i++;
            Path dir = out.resolve("students").resolve(safe(student));
            Path json = dir.resolve("result.json");
            Result r;
            if (Files.isRegularFile(json)) {
                r = gson.fromJson(Files.readString(json, StandardCharsets.UTF_8), Result.class);
                log.printf(
                        Locale.ROOT,
                        "[%d/%d] %s: %.0f / %.0f (already graded)%n",
                        i,
                        key.papers().size(),
                        student,
                        r.score(),
                        r.maxScore());
            } else {
                Path submission = found.get(student);
                r = grade(student, submission, out.resolve("work").resolve(safe(student)));
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("feedback.md"), feedback(r), StandardCharsets.UTF_8);
                Path tmp = dir.resolve("result.json.tmp");
                Files.writeString(tmp, gson.toJson(r), StandardCharsets.UTF_8);
                Files.move(
                        tmp,
                        json,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                log.printf(
                        Locale.ROOT,
                        "[%d/%d] %s: %.0f / %.0f%s (%.0f s)%n",
                        i,
                        key.papers().size(),
                        student,
                        r.score(),
                        r.maxScore(),
                        r.conceptMax() > 0
                                ? String.format(
                                        Locale.ROOT,
                                        ", concepts %s / %s",
                                        fmt(r.conceptScore()),
                                        fmt(r.conceptMax()))
                                : "",
                        r.seconds());
            }
            results.add(r);
        }
        writeCsv(results, out.resolve("grades.csv"));
        Files.writeString(out.resolve("summary.md"), summary(results), StandardCharsets.UTF_8);
        return results;
    }

    private Map<String, Path> findSubmissions(Path submissions) throws IOException {
        Map<String, Path> found = new LinkedHashMap<>();
        if (!Files.isDirectory(submissions)) {
            throw new IOException(
                    submissions.toAbsolutePath()
                            + " is not a folder of submissions (ID.zip or ID/ per student)");
        }
        try (var walk = Files.walk(submissions)) {
            for (Path p : walk.sorted().toList()) {
                String name = p.getFileName().toString();
                String id =
                        name.endsWith(".zip")
                                ? name.substring(0, name.length() - 4).replaceFirst("-exam$", "")
                                : name;
                boolean candidate =
                        Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                                || (name.endsWith(".zip")
                                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
                if (candidate && key.papers().containsKey(id) && !found.containsKey(id)) {
                    found.put(id, p);
                }
            }
        }
        return found;
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void writeCsv(List<Result> results, Path file) throws IOException {
        List<String> header = new ArrayList<>(List.of("student", "score", "max", "percent"));
        master.slots().forEach(s -> header.add(s.id()));
        header.addAll(List.of("concepts", "concepts_max", "total", "total_max", "notes"));
        try (CSVPrinter csv =
                new CSVPrinter(
                        Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                        CSVFormat.DEFAULT
                                .builder()
                                .setHeader(header.toArray(String[]::new))
                                .get())) {
            for (Result r : results) {
                List<Object> row =
                        new ArrayList<>(
                                List.of(
                                        r.student(),
                                        fmt(r.score()),
                                        fmt(r.maxScore()),
                                        fmt(
                                                r.maxScore() == 0
                                                        ? 0
                                                        : 100 * r.score() / r.maxScore())));
                // per slot: fixed / not fixed / broken (a working slot the student broke) / blank
                // (not on the paper, still working)
                r.slots()
                        .forEach(
                                s ->
                                        row.add(
                                                s.variant() != null
                                                        ? (s.passes() ? "fixed" : "not fixed")
                                                        : (s.passes() ? "" : "broken")));
                row.addAll(
                        List.of(
                                fmt(r.conceptScore()),
                                fmt(r.conceptMax()),
                                fmt(r.score() + r.conceptScore()),
                                fmt(r.maxScore() + r.conceptMax())));
                row.add(String.join("; ", r.notes()));
                csv.printRecord(row);
            }
        }
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /**
     * Per-slot figures for the instructor: how often each mistake was on a paper, fixed, or
     * introduced.
     */
    private String summary(List<Result> results) {
        StringBuilder b =
                new StringBuilder("# " + master.id() + ": " + results.size() + " students\n\n");
        double mean =
                results.stream()
                        .mapToDouble(r -> r.maxScore() == 0 ? 0 : 100 * r.score() / r.maxScore())
                        .average()
                        .orElse(0);
        b.append(
                String.format(
                        Locale.ROOT,
                        "Mean %.1f %% of the broken slots fixed (net of working slots broken).%n%n",
                        mean));
        b.append(
                "| slot | on papers | fixed | fixed % | working slot broken by the student |\n|---|---:|---:|---:|---:|\n");
        for (BugSlot s : master.slots()) {
            long on = results.stream().filter(r -> slot(r, s.id()).variant() != null).count();
            long fixed =
                    results.stream()
                            .filter(
                                    r ->
                                            slot(r, s.id()).variant() != null
                                                    && slot(r, s.id()).passes())
                            .count();
            long introduced = results.stream().filter(r -> slot(r, s.id()).points() < 0).count();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %s | %d |%n",
                            s.id(),
                            on,
                            fixed,
                            on == 0 ? "–" : String.format(Locale.ROOT, "%.0f", 100.0 * fixed / on),
                            introduced));
        }
        if (!concepts.refs().isEmpty()) {
            b.append("\n| concept question | right |\n|---|---:|\n");
            for (int i = 0; i < concepts.refs().size(); i++) {
                int q = i;
                long right =
                        results.stream()
                                .filter(r -> r.concepts().size() > q && r.concepts().get(q).right())
                                .count();
                b.append(
                        String.format(
                                Locale.ROOT,
                                "| %d. %s/%s | %d of %d |%n",
                                i + 1,
                                concepts.refs().get(i).quiz(),
                                concepts.refs().get(i).question(),
                                right,
                                results.size()));
            }
        }
        return b.toString();
    }

    private static SlotResult slot(Result r, String id) {
        return r.slots().stream().filter(s -> s.slot().equals(id)).findFirst().orElseThrow();
    }

    /**
     * A student's feedback, to release after the exam: each mistake that was on the paper, whether
     * it was fixed, and what it teaches, in English and Traditional Chinese.
     *
     * @param r the result
     * @return Markdown
     */
    public String feedback(Result r) {
        StringBuilder b =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "# %s — %s%n%nDebugging 除錯: %.0f / %.0f%n",
                                master.id(),
                                r.student(),
                                r.score(),
                                r.maxScore()));
        if (r.conceptMax() > 0) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "Concept questions 觀念題: %s / %s%n",
                            fmt(r.conceptScore()),
                            fmt(r.conceptMax())));
        }
        b.append('\n');
        r.notes().forEach(n -> b.append("- note: ").append(n).append('\n'));
        for (SlotResult s : r.slots()) {
            BugSlot slot = master.slot(s.slot());
            if (s.variant() == null && s.points() == 0) {
                continue;
            }
            String verdict =
                    s.variant() == null
                            ? "broken by your changes (-1) 你的修改弄壞了原本正確的部分"
                            : s.passes() ? "fixed (+1) 已修正" : "not fixed (0) 未修正";
            b.append("\n## ")
                    .append(slot.id())
                    .append(" (")
                    .append(slot.file())
                    .append(") — ")
                    .append(verdict)
                    .append("\n\n");
            b.append(slot.english()).append("\n\n").append(slot.chinese()).append('\n');
            if (!s.passes() && !s.message().isBlank()) {
                b.append("\nCheck 檢查: ")
                        .append(s.message().lines().findFirst().orElse(""))
                        .append('\n');
            }
        }
        if (!r.concepts().isEmpty()) {
            List<org.dllab.grading.quiz.Question.Instance> paper =
                    concepts.paper(master.id(), r.student(), key.salt());
            b.append("\n## Concept questions 觀念題\n");
            for (ConceptResult c : r.concepts()) {
                var q = paper.get(c.number() - 1);
                b.append("\n")
                        .append(c.number())
                        .append(". ")
                        .append(q.text().en())
                        .append("\n   ")
                        .append(q.text().zh())
                        .append("\n\n")
                        .append(
                                c.right()
                                        ? "Right 正確"
                                        : "Your answer 你的答案: '"
                                                + c.response()
                                                + "'; answer 答案: "
                                                + c.answer())
                        .append("\n\n")
                        .append(q.explain().en())
                        .append(' ')
                        .append(q.explain().zh())
                        .append('\n');
            }
        }
        return b.toString();
    }
}
