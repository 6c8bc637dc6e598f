package org.dllab.grading.batch;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.dllab.grading.runner.TestOutcome;
import org.dllab.grading.submission.AiDeclarations;
import org.dllab.grading.submission.GradeReport;
import org.dllab.grading.submission.Grader;
import org.dllab.grading.submission.GradescopeResults;
import org.dllab.run.Progress;

/**
 * Grades a class: a canary (the reference solution must get full marks) before and after, each
 * student in turn (or {@code jobs} at a time), and the class reports. Crash-safe: each finished
 * student is appended to {@code journal.jsonl} (flushed to disk) only after their {@code
 * results.json} and {@code feedback.md} are in place, so a rerun after an interruption — even
 * {@code kill -9} — grades only the students not in the journal, and the CSV is rebuilt from the
 * journal: no row lost, none twice.
 */
public final class BatchGrader {

    private static final Gson GSON = new Gson();

    private final Grader grader;
    private final Path reference;
    private final int jobs;
    private final PrintStream log;
    private boolean showHiddenOutput;

    /**
     * Creates the batch grader.
     *
     * @param grader grades one submission
     * @param referenceSources the reference solution's sources (the canary)
     * @param jobs submissions graded at once
     * @param log progress, or null
     */
    public BatchGrader(Grader grader, Path referenceSources, int jobs, PrintStream log) {
        this.jobs = Math.max(1, jobs);
        this.grader =
                grader.withChildThreads(Runtime.getRuntime().availableProcessors() / this.jobs);
        this.reference = referenceSources;
        this.log = log;
    }

    /**
     * Shows hidden tests' failure messages in the students' {@code feedback.md} and {@code
     * results.json} (off by default: a hidden test's message could carry what the student's code
     * saw while it ran; the instructor's {@code instructor/ID.md} always has them).
     *
     * @param show whether to show them
     * @return this
     */
    public BatchGrader showHiddenOutput(boolean show) {
        this.showHiddenOutput = show;
        return this;
    }

    /**
     * Grades every student of an export into {@code out}.
     *
     * @param homework e.g. {@code hw1}
     * @param export the class export (folder or zip)
     * @param out the output folder: {@code students/ID/results.json}, {@code feedback.md}, {@code
     *     grades.csv}, {@code summary.md}, {@code histogram.png}, {@code journal.jsonl}, and {@code
     *     instructor/ID.md} (every test's whole message, for the instructor only)
     * @return the class summary
     * @throws Exception when the canary fails or the export is unreadable
     */
    public ClassSummary run(String homework, Path export, Path out) throws Exception {
        String isolation =
                grader.isolation(); // refuses before anything runs when the sandbox is required
        // and broken
        if (log != null) {
            log.println("isolation: " + isolation);
        }
        Files.createDirectories(out);
        Path scratch = Files.createDirectories(out.resolve("work"));
        canary(homework, scratch, "before");
        ClassExport.Students students = ClassExport.students(export, scratch);
        Path journal = out.resolve("journal.jsonl");
        Map<String, JsonObject> done = readJournal(journal);
        List<String> todo =
                students.submissions().keySet().stream()
                        .filter(id -> !done.containsKey(id))
                        .toList();
        if (log != null) {
            log.printf(
                    "%s: %d students in the export, %d already graded (journal), %d to grade%n",
                    homework, students.submissions().size(), done.size(), todo.size());
            students.skipped().forEach(s -> log.println("  skipped: " + s));
        }
        Progress bar = todo.isEmpty() ? null : Progress.start("Grading", todo.size(), log);
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        try {
            List<Future<?>> futures = new ArrayList<>();
            int[] finished = {0};
            for (String id : todo) {
                futures.add(
                        pool.submit(
                                () -> {
                                    GradeReport r;
                                    try {
                                        r =
                                                grader.grade(
                                                        homework,
                                                        submission(students.submissions().get(id)),
                                                        id,
                                                        scratch.resolve(id));
                                    } catch (IOException | RuntimeException e) {
                                        // one unreadable submission must not stop the class: it
                                        // gets a row of zeroes and the reason
                                        r =
                                                Grader.ungradable(
                                                        homework,
                                                        id,
                                                        e.getMessage() == null
                                                                ? e.toString()
                                                                : e.getMessage());
                                    }
                                    writeStudent(out, id, r);
                                    appendJournal(journal, r);
                                    synchronized (finished) {
                                        finished[0]++;
                                        if (bar != null) {
                                            bar.update(finished[0]);
                                        }
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (bar != null) {
            bar.end();
        }
        canary(homework, scratch, "after");
        Map<String, JsonObject> all = readJournal(journal);
        ClassSummary summary = ClassSummary.of(homework, all);
        summary.write(out);
        return summary;
    }

    private void canary(String homework, Path scratch, String when) throws Exception {
        GradeReport r =
                grader.grade(homework, reference, "reference", scratch.resolve("canary-" + when));
        if (r.score() < r.maxScore()) {
            List<String> failed =
                    r.tests().stream()
                            .filter(t -> !t.passed())
                            .map(t -> t.name() + ": " + t.output())
                            .toList();
            throw new IllegalStateException(
                    "canary "
                            + when
                            + " grading: the reference solution scored "
                            + r.score()
                            + " / "
                            + r.maxScore()
                            + ", so the grader itself is broken (data, memory, sandbox?); no grades were "
                            + (when.equals("before") ? "written" : "trusted")
                            + ". Failing: "
                            + failed);
        }
        if (log != null) {
            log.printf("canary %s: reference %.1f / %.1f%n", when, r.score(), r.maxScore());
        }
    }

    /** A student folder holding only a zip (as LMS exports often do) is graded from that zip. */
    private static Path submission(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return p;
        }
        try (Stream<Path> s = Files.list(p)) {
            List<Path> entries = s.toList();
            List<Path> zips =
                    entries.stream()
                            .filter(e -> e.toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
                            .toList();
            boolean hasJava =
                    entries.stream()
                            .anyMatch(e -> e.toString().endsWith(".java") || Files.isDirectory(e));
            return zips.size() == 1 && !hasJava ? zips.get(0) : p;
        }
    }

    private void writeStudent(Path out, String id, GradeReport r) throws IOException {
        Path instructor = Files.createDirectories(out.resolve("instructor"));
        Files.writeString(
                instructor.resolve(id + ".md"), Feedback.markdown(r, true), StandardCharsets.UTF_8);
        Path dir = Files.createDirectories(out.resolve("students").resolve(id));
        GradescopeResults.write(r, dir.resolve("results.json.tmp"), showHiddenOutput);
        Files.move(
                dir.resolve("results.json.tmp"),
                dir.resolve("results.json"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        Path tmp = dir.resolve("feedback.md.tmp");
        Files.writeString(tmp, Feedback.markdown(r, showHiddenOutput), StandardCharsets.UTF_8);
        Files.move(
                tmp,
                dir.resolve("feedback.md"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static synchronized void appendJournal(Path journal, GradeReport r) throws IOException {
        JsonObject line = new JsonObject();
        line.addProperty("student", r.student());
        line.addProperty("score", r.score());
        line.addProperty("max", r.maxScore());
        JsonObject tests = new JsonObject();
        for (TestOutcome t : r.tests()) {
            tests.addProperty(t.name().substring(t.name().lastIndexOf('.') + 1), t.score());
        }
        line.add("tests", tests);
        line.addProperty(
                "ai_declarations",
                String.join(
                        " | ",
                        r.aiDeclarations().stream()
                                .map(
                                        (AiDeclarations.Declaration d) ->
                                                d.file() + ":" + d.line() + " " + d.text())
                                .toList()));
        line.addProperty("isolation", r.isolation());
        line.addProperty(
                "compiled", r.notes().stream().noneMatch(n -> n.contains("does not compile")));
        // time to grade it, and the part its tests themselves ran (the rest is staging, compiling,
        // JVM start-up)
        line.addProperty("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        line.addProperty(
                "test_seconds", r.tests().stream().mapToLong(TestOutcome::millis).sum() / 1000.0);
        byte[] bytes = (GSON.toJson(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch =
                FileChannel.open(
                        journal,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size > 0) {
                // a write torn by a crash leaves no newline: start on a fresh line so this record
                // stays readable
                java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
                ch.read(last, size - 1);
                if (last.get(0) != '\n') {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), size);
                    size++;
                }
            }
            ch.write(java.nio.ByteBuffer.wrap(bytes), size);
            ch.force(true);
        }
    }

    /**
     * The finished students of a journal; a torn last line (a crash mid-write) is ignored, so that
     * student is graded again.
     *
     * @param journal the journal
     * @return student id to their line
     * @throws IOException on read failure
     */
    public static Map<String, JsonObject> readJournal(Path journal) throws IOException {
        Map<String, JsonObject> done = new LinkedHashMap<>();
        if (!Files.exists(journal)) {
            return done;
        }
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                done.putIfAbsent(o.get("student").getAsString(), o);
            } catch (RuntimeException torn) {
                // an incomplete line from an interrupted write
            }
        }
        return done;
    }
}
