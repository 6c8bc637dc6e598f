package org.dllab.cli;

import static org.dllab.cli.MainTest.dllab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeworkCommandTest {

    @TempDir Path tmp;

    @Test
    void listShowsHomeworkOneWithItsBlanks() {
        MainTest.Outcome o = dllab("homework", "list");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("hw1   11 blanks"), o.out());
        assertTrue(o.out().contains("hw2    8 blanks"), o.out());
    }

    @Test
    void startTestAndPackAWorkingCopy() throws Exception {
        Path work = tmp.resolve("hw1");
        assertEquals(0, dllab("homework", "start", "hw1", "--dir", work.toString()).code());
        assertTrue(Files.exists(work.resolve("src/main/java/org/dllab/hw/hw1/Linear.java")));
        assertTrue(Files.readString(work.resolve("BLANKS.md")).contains("hw1-11"));

        MainTest.Outcome again = dllab("homework", "start", "hw1", "--dir", work.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());

        MainTest.Outcome blank = dllab("homework", "test", "hw1", "--dir", work.toString());
        assertEquals(1, blank.code());
        assertTrue(blank.out().contains("Public tests: 0.0 / 20.0 points"), blank.out());
        assertTrue(
                blank.out().contains("TODO(hw1-2: compute y = x W + b) is not filled in yet"),
                blank.out());

        MainTest.Outcome zip = dllab("homework", "pack", "hw1", "--dir", work.toString());
        assertEquals(0, zip.code(), zip.err());
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(work.resolve("hw1-submission.zip").toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        assertTrue(
                names.contains("REPORT.md")
                        && names.contains("src/main/java/org/dllab/hw/hw1/Mlp.java"),
                names.toString());
        assertTrue(
                names.stream().allMatch(n -> n.endsWith(".java") || n.equals("REPORT.md")),
                names.toString());
    }

    @Test
    void codeThatDoesNotCompileGetsItsFirstErrorsWithLineNumbers() throws Exception {
        Path work = tmp.resolve("broken");
        assertEquals(0, dllab("homework", "start", "hw1", "--dir", work.toString()).code());
        Path linear = work.resolve("src/main/java/org/dllab/hw/hw1/Linear.java");
        Files.writeString(linear, Files.readString(linear).replace("input = x;", "input = x"));
        MainTest.Outcome o = dllab("homework", "test", "hw1", "--dir", work.toString());
        assertEquals(1, o.code());
        assertTrue(o.out().contains("does not compile"), o.out());
        assertTrue(o.out().contains("Linear.java:"), o.out());
    }

    @Test
    void unknownHomeworkIsAUsageError() {
        MainTest.Outcome o = dllab("homework", "test", "hw9", "--dir", tmp.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no graded tests for 'hw9'"), o.err());
    }

    @Test
    void gradeTheReferenceWritesGradescopeJson() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("..", "solutions")),
                "the student edition has no reference solutions to grade");
        org.dllab.testing.TestData.require(org.dllab.data.DatasetCatalog.MNIST);
        Path json = tmp.resolve("results.json");
        MainTest.Outcome o = dllab("grade", "hw1", "--reference", "--json", json.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("hw1 reference: 29.0 / 29.0 points"), o.out());
        assertTrue(Files.readString(json).contains("\"score\": 29.0"));
        MainTest.Outcome missing = dllab("grade", "hw1");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("SUBMISSION"), missing.err());
    }

    @Test
    void exportsAReadyToUploadGradescopeZip() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("..", ".git")), "needs a git checkout to archive");
        MainTest.Outcome o =
                dllab("grade", "export", "hw1", "--gradescope", tmp.resolve("gs").toString());
        assertEquals(0, o.code(), o.err());
        try (org.apache.commons.compress.archivers.zip.ZipFile z =
                new org.apache.commons.compress.archivers.zip.ZipFile(
                        tmp.resolve("gs/autograder.zip").toFile())) {
            List<String> names = new ArrayList<>();
            z.getEntries().asIterator().forEachRemaining(e -> names.add(e.getName()));
            assertEquals(
                    List.of("setup.sh", "run_autograder", "dllab-source.tar.gz"),
                    names,
                    "files at the zip's top level");
            assertEquals(0755, z.getEntry("run_autograder").getUnixMode() & 0777);
            String run =
                    new String(
                            z.getInputStream(z.getEntry("run_autograder")).readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(
                    run.contains(
                            "./dllab grade hw1 /autograder/submission --json /autograder/results/results.json"),
                    run);
            assertTrue(
                    z.getEntry("dllab-source.tar.gz").getSize() > 10_000,
                    "the repository's source");
        }
        assertEquals(2, dllab("grade", "export", "hw1").code(), "no target is a usage error");
    }

    /**
     * The Classroom workflow's logic, run as GitHub would run it: the public-tests step (here in
     * this JVM, as the step's command would on the runner), then each grading step's command with
     * bash; the points of the steps that pass add up to dllab's own public score — for a student
     * with all but one blank right, not 0.
     */
    @Test
    void theClassroomWorkflowScoresEachTestLikeDllab() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("..", "solutions")),
                "needs the reference to fill the blanks");
        org.dllab.testing.TestData.require(org.dllab.data.DatasetCatalog.MNIST);
        assertEquals(
                0,
                dllab("grade", "export", "hw1", "--github-classroom", tmp.resolve("gh").toString())
                        .code());
        List<String> yaml = Files.readAllLines(tmp.resolve("gh/.github/workflows/classroom.yml"));
        assertTrue(
                yaml.contains(
                        "        run: ../dllab/dllab homework test hw1 --dir . --results dllab-results.txt || true"),
                String.join("\n", yaml));

        Path work = tmp.resolve("hw1");
        assertEquals(0, dllab("homework", "start", "hw1", "--dir", work.toString()).code());
        Path pkg = work.resolve("src/main/java/org/dllab/hw/hw1");
        try (var s = Files.list(Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1"))) {
            for (Path p : s.toList()) {
                Files.copy(
                        p,
                        pkg.resolve(p.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path relu = pkg.resolve("ReLU.java");
        Files.writeString(
                relu,
                Files.readString(relu)
                        .replace(
                                "return gradOutput.mul(input.gt(0).toType(gradOutput.getDataType(), false));",
                                "return gradOutput;"));
        MainTest.Outcome tests =
                dllab(
                        "homework",
                        "test",
                        "hw1",
                        "--dir",
                        work.toString(),
                        "--results",
                        work.resolve("dllab-results.txt").toString());
        assertEquals(1, tests.code(), "a failing test fails the command: " + tests.out());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("Public tests: ([0-9.]+) / ([0-9.]+) points")
                        .matcher(tests.out());
        assertTrue(m.find(), tests.out());
        double dllabScore = Double.parseDouble(m.group(1));

        double classroomScore = 0;
        double classroomMax = 0;
        int steps = 0;
        for (int i = 0; i < yaml.size(); i++) {
            String line = yaml.get(i).trim();
            if (line.startsWith("command: ")) {
                String points = yaml.get(i + 2).trim();
                assertTrue(points.startsWith("max-score: "), points);
                double max = Double.parseDouble(points.substring("max-score: ".length()));
                Process p =
                        new ProcessBuilder("bash", "-c", line.substring("command: ".length()))
                                .directory(work.toFile())
                                .start();
                if (p.waitFor() == 0) {
                    classroomScore += max;
                }
                classroomMax += max;
                steps++;
            }
        }
        assertEquals(8, steps, "one step per public test");
        assertEquals(20.0, classroomMax);
        assertEquals(dllabScore, classroomScore, "the Classroom score is dllab's");
        assertTrue(
                dllabScore > 0 && dllabScore < 20,
                "a partly right copy earns part of the points: " + dllabScore);
    }

    @Test
    void publishWritesAStudentEditionWithoutSolutionsOrHiddenTests() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("..", "solutions")), "needs the instructor's repository");
        Path edition = tmp.resolve("student");
        MainTest.Outcome o =
                dllab(
                        "homework",
                        "publish",
                        edition.toString(),
                        "--root",
                        Path.of("..").toAbsolutePath().normalize().toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("withheld"), o.out());
        assertTrue(
                Files.isDirectory(
                        edition.resolve("homework-templates/src/main/java/org/dllab/hw/hw1")));
        assertTrue(
                Files.isRegularFile(
                        edition.resolve(
                                "grading/src/main/java/org/dllab/grading/hw1/Hw1PublicTest.java")));
        assertTrue(!Files.exists(edition.resolve("solutions")), "no reference solutions");
        assertTrue(
                Files.isRegularFile(edition.resolve("docs/exam.md"))
                        && !Files.exists(edition.resolve("docs/exam-authoring.md")),
                "the exam's mistakes stay with the instructor");
        try (java.util.stream.Stream<Path> s = Files.walk(edition)) {
            java.util.List<Path> hidden =
                    s.filter(p -> p.getFileName().toString().contains("HiddenTest")).toList();
            assertEquals(java.util.List.of(), hidden, "no hidden tests");
        }
        assertTrue(
                !Files.readString(edition.resolve("pom.xml"))
                        .contains("<module>solutions</module>"));
        assertTrue(
                !Files.readString(edition.resolve("grading/pom.xml")).contains("dllab-solutions"));
        MainTest.Outcome again =
                dllab(
                        "homework",
                        "publish",
                        edition.toString(),
                        "--root",
                        Path.of("..").toAbsolutePath().normalize().toString());
        assertEquals(1, again.code(), "a non-empty target is refused: " + again.err());
    }

    /**
     * The working copy is a Maven project: its public tests run with {@code mvn test} (as an IDE
     * runs them), fail on the template and pass with the reference code, and {@code pack} still
     * takes only the student's files. see {@link LocalMaven}.
     */
    @Test
    void aWorkingCopyIsAMavenProjectWhosePublicTestsRunWithMvnTest() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("..", "solutions")),
                "needs the reference solutions to pass");
        LocalMaven.installThisBuild();
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = tmp.resolve("hw1");
        assertEquals(
                0,
                dllab(
                                "homework",
                                "start",
                                "hw1",
                                "--dir",
                                work.toString(),
                                "--root",
                                root.toString())
                        .code());
        assertTrue(
                Files.isRegularFile(work.resolve("pom.xml"))
                        && Files.isRegularFile(
                                work.resolve(
                                        "src/test/java/org/dllab/grading/hw1/Hw1PublicTest.java")));
        assertTrue(
                LocalMaven.run(work, "test") != 0, "the template's blanks fail the public tests");
        try (java.util.stream.Stream<Path> s =
                Files.list(root.resolve("solutions/src/main/java/org/dllab/hw/hw1"))) {
            for (Path f : s.toList()) {
                Files.copy(
                        f,
                        work.resolve("src/main/java/org/dllab/hw/hw1").resolve(f.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertEquals(
                0,
                LocalMaven.run(work, "test"),
                "the reference code passes the public tests under mvn test");
        String report =
                Files.readString(
                        work.resolve(
                                "target/surefire-reports/org.dllab.grading.hw1.Hw1PublicTest.txt"));
        assertTrue(report.contains("Tests run: 8, Failures: 0, Errors: 0"), report);
        assertEquals(0, dllab("homework", "pack", "hw1", "--dir", work.toString()).code());
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(work.resolve("hw1-submission.zip").toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        assertTrue(
                names.stream()
                        .allMatch(
                                n ->
                                        n.startsWith("src/main/java/org/dllab/hw/hw1/")
                                                || n.equals("REPORT.md")),
                names.toString());
    }
}
