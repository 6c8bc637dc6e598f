package org.dllab.grading.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dllab.grading.submission.GradeReport;
import org.dllab.grading.submission.Grader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile submissions: what they try must not change other tests' results or touch the grader's
 * files.
 */
class IsolationTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final Path SOLUTION = Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1");

    @TempDir Path tmp;

    private Path honestCopy(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> s = Files.list(SOLUTION)) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.contains(from), "fixture: " + from);
        Files.writeString(file, text.replace(from, to));
    }

    private static boolean passed(GradeReport r, String method) {
        return r.tests().stream().anyMatch(t -> t.name().endsWith("#" + method) && t.passed());
    }

    @Test
    void systemExitIsRefusedAndCostsOnlyTheTestsThatReachIt() throws Exception {
        Path sub = honestCopy("exit");
        edit(
                sub.resolve("Sigmoid.java"),
                "    private NDArray output;",
                "    private NDArray output;\n    static { System.exit(0); }");
        GradeReport r = new Grader(TEMPLATES, 300).grade("hw1", sub, "exit", tmp.resolve("work"));
        assertFalse(passed(r, "sigmoidForwardBackward"));
        assertTrue(
                r.tests().stream()
                        .filter(t -> t.name().endsWith("#sigmoidForwardBackward"))
                        .allMatch(t -> t.output().contains("exitVM")),
                r.tests().toString());
        assertTrue(
                passed(r, "linearBackward")
                        && passed(r, "reluForwardBackward")
                        && passed(r, "mseForwardBackward"),
                "the other tests still count: " + r.tests());
    }

    @Test
    void forgedResultLinesDoNotCount() throws Exception {
        Path sub = honestCopy("forger");
        // a wrong sigmoid that prints lines imitating the runner's protocol, and a fake score
        edit(
                sub.resolve("Sigmoid.java"),
                "output = x.neg().exp().add(1).pow(-1);",
                "output = x.mul(0); for (String t : new String[] {\"sigmoidForwardBackward\"}) {"
                        + " System.out.println(\"DLLAB-RESULT\\torg.dllab.grading.hw1.Hw1PublicTest#\" + t + \"\\tSUCCESSFUL\\t1\\t\\t00ff\");"
                        + " System.out.println(\"score: 100\"); System.out.println(\"{\\\"score\\\": 100}\"); }");
        GradeReport r = new Grader(TEMPLATES, 300).grade("hw1", sub, "forger", tmp.resolve("work"));
        assertFalse(passed(r, "sigmoidForwardBackward"), "an unsigned line must not pass a test");
        assertTrue(passed(r, "linearBackward"));
    }

    @Test
    void writesOutsideTheScratchFolderDoNotLand() throws Exception {
        Path target = tmp.resolve("grader-owned.txt");
        Path sub = honestCopy("writer");
        edit(
                sub.resolve("ReLU.java"),
                "        input = x;",
                "        input = x;\n        try { java.nio.file.Files.writeString(java.nio.file.Path.of(\""
                        + target.toAbsolutePath()
                        + "\"), \"pwned\"); } catch (Exception ignored) { }");
        GradeReport r = new Grader(TEMPLATES, 300).grade("hw1", sub, "writer", tmp.resolve("work"));
        if (Sandbox.check().works()) {
            assertFalse(
                    Files.exists(target),
                    "the sandbox must keep student code from writing the grader's folders");
        }
        assertTrue(
                passed(r, "reluForwardBackward"),
                "the attempt itself does not cost the honest result: " + r.tests());
    }

    /**
     * The control for the hostile corpus's forgers: a blank submission that dumps the heap, finds
     * the run's key and signs "passed" lines does forge a score when the security manager is off,
     * and earns the blank's 0 when it is on.
     */
    @Test
    void aHeapDumpForgeryWorksWithoutTheSecurityManagerAndNotWithIt() throws Exception {
        Path sub =
                org.dllab.grading.batch.HostileCorpus.copy(
                        org.dllab.grading.batch.HostileCorpus.TEMPLATE, tmp.resolve("forger"));
        org.dllab.grading.batch.HostileCorpus.forger(sub, "heapDump");
        Grader grader = new Grader(TEMPLATES, 300).withTestTimeoutCap(30);
        GradeReport forged;
        HomeworkRunner.withoutSecurityManagerForTests = true;
        try {
            forged = grader.grade("hw1", sub, "forger", tmp.resolve("unprotected"));
        } finally {
            HomeworkRunner.withoutSecurityManagerForTests = false;
        }
        assertTrue(
                forged.score() > 0,
                "the forgery must work unprotected, else the corpus proves nothing: "
                        + forged.tests());
        GradeReport stopped = grader.grade("hw1", sub, "forger", tmp.resolve("protected"));
        assertTrue(stopped.score() == 0, "a blank scores 0 however it tries: " + stopped.tests());
    }

    /**
     * Fail safe: without a working sandbox, grading refuses; --no-sandbox grades, and says so in
     * the report.
     */
    @Test
    void withoutASandboxGradingIsRefusedUnlessTheInstructorAcceptsTheRisk() throws Exception {
        Path sub = honestCopy("no-sandbox");
        Sandbox.missingForTests = true;
        try {
            SandboxUnavailableException refused =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            SandboxUnavailableException.class,
                            () ->
                                    new Grader(TEMPLATES, 300)
                                            .grade(
                                                    "hw1",
                                                    sub,
                                                    "no-sandbox",
                                                    tmp.resolve("refused")));
            assertTrue(
                    refused.getMessage().contains("bubblewrap")
                            && refused.getMessage().contains("--no-sandbox"),
                    refused.getMessage());
            assertFalse(
                    Files.exists(tmp.resolve("refused/classes/org")),
                    "refused before compiling or running anything");
            GradeReport r =
                    new Grader(TEMPLATES, 300)
                            .withSandbox(Sandbox.Mode.OFF)
                            .grade("hw1", sub, "no-sandbox", tmp.resolve("accepted"));
            assertTrue(r.score() == r.maxScore(), r.tests().toString());
            assertTrue(r.isolation().contains("--no-sandbox"), r.isolation());
            assertTrue(
                    org.dllab.grading.submission.GradescopeResults.toJson(r)
                            .getAsJsonObject("extra_data")
                            .get("isolation")
                            .getAsString()
                            .contains("--no-sandbox"));
        } finally {
            Sandbox.missingForTests = false;
        }
    }

    @Test
    void theSandboxShowsTheChildOnlyWhatItNeeds() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Sandbox.installed(), "bubblewrap is not installed");
        List<String> wrapped =
                Sandbox.wrap(
                        List.of("java", "-version"),
                        List.of(tmp.resolve("data")),
                        tmp.resolve("scratch"),
                        List.of());
        assertTrue(
                wrapped.get(0).endsWith("bwrap") && wrapped.contains("--unshare-all"),
                wrapped.toString());
        assertFalse(
                wrapped.contains("/") && wrapped.get(wrapped.indexOf("/") - 1).equals("--ro-bind"),
                "the root is not bound: " + wrapped);
        assertFalse(
                wrapped.contains(System.getProperty("user.home")),
                "the home folder is not bound: " + wrapped);
        assertTrue(
                wrapped.subList(wrapped.size() - 2, wrapped.size())
                        .equals(List.of("java", "-version")),
                wrapped.toString());
    }
}
