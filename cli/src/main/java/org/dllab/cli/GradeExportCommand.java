package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.HomeworkRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dllab grade export HW --gradescope DIR | --github-classroom DIR}: run the same grader on
 * existing platforms. The Gradescope export is the ready-to-upload {@code autograder.zip}: {@code
 * setup.sh} (a JDK, bubblewrap, dllab built from the bundled source, the datasets), {@code
 * run_autograder} (grades {@code /autograder/submission} into {@code
 * /autograder/results/results.json}) and {@code dllab-source.tar.gz} ({@code git archive} of this
 * repository's HEAD). The GitHub Classroom workflow runs the public tests once and gives each
 * graded test its own step and points, so the Classroom score is dllab's.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write a Gradescope autograder.zip or a GitHub Classroom workflow for a homework.")
final class GradeExportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "HW", description = "e.g. hw1")
    String homework;

    @Option(
            names = "--gradescope",
            paramLabel = "DIR",
            description = "Write autograder.zip (and a README.md) here.")
    Path gradescope;

    @Option(
            names = "--github-classroom",
            paramLabel = "DIR",
            description = "Write .github/workflows/classroom.yml under DIR.")
    Path classroom;

    @Option(
            names = "--show-hidden-output",
            description =
                    "Gradescope: show students the failure messages of hidden tests "
                            + "(default: only their names, points and one-line feedback).")
    boolean showHiddenOutput;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "The dllab repository (default: $DLLAB_HOME or upwards from here).")
    Path root;

    @Override
    public Integer call() throws IOException, InterruptedException {
        HomeworkRunner.testClasses(homework);
        if (gradescope == null && classroom == null) {
            throw new IllegalArgumentException(
                    "choose --gradescope DIR and/or --github-classroom DIR");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (gradescope != null) {
            Path zip = gradescope(RepoRoot.find(root));
            out.println(
                    "Gradescope autograder written to "
                            + zip.toAbsolutePath()
                            + ": upload it as the assignment's autograder (see README.md beside it)");
        }
        if (classroom != null) {
            Path wf = classroom.resolve(".github/workflows/classroom.yml");
            Files.createDirectories(wf.getParent());
            Files.writeString(wf, classroomWorkflow(homework), StandardCharsets.UTF_8);
            out.println(
                    "GitHub Classroom workflow written to "
                            + wf.toAbsolutePath()
                            + " (set the repository variable DLLAB_REPO to your course's dllab repository)");
        }
        out.flush();
        return 0;
    }

    private Path gradescope(Path repo) throws IOException, InterruptedException {
        if (!Files.isDirectory(repo.resolve(".git"))) {
            throw new IllegalArgumentException(
                    repo
                            + " is not a git checkout: the autograder bundles the repository's source with 'git archive'");
        }
        Files.createDirectories(gradescope);
        Path source = Files.createTempFile("dllab-source-", ".tar.gz");
        try {
            Process git =
                    new ProcessBuilder(
                                    "git",
                                    "-C",
                                    repo.toString(),
                                    "archive",
                                    "--format=tar.gz",
                                    "-o",
                                    source.toString(),
                                    "HEAD")
                            .redirectErrorStream(true)
                            .start();
            String gitOut =
                    new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (git.waitFor() != 0) {
                throw new IOException("git archive failed: " + gitOut);
            }
            String setup =
                    """
                    #!/usr/bin/env bash
                    # Gradescope autograder setup for dllab %1$s: JDK 17, bubblewrap, dllab built from source, datasets.
                    set -euo pipefail
                    apt-get update -qq
                    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless bubblewrap
                    mkdir -p /autograder/source/dllab
                    tar -xzf /autograder/source/dllab-source.tar.gz -C /autograder/source/dllab
                    cd /autograder/source/dllab
                    ./mvnw -q -B -DskipTests package -pl cli -am
                    ./dllab data download mnist cifar10
                    """
                            .formatted(homework);
            String run =
                    """
                    #!/usr/bin/env bash
                    # Grades the student's upload with every test of %1$s; Gradescope reads results/results.json. Hidden tests
                    # show students their name, points and one-line feedback only%2$s.
                    set -uo pipefail
                    mkdir -p /autograder/results
                    cd /autograder/source/dllab
                    # bubblewrap where Gradescope's container allows it; else the container is the sandbox (one submission,
                    # no other students) and the test JVM's security manager still confines the student's code
                    sandbox=""
                    bwrap --ro-bind / / --unshare-all true 2>/dev/null || sandbox="--no-sandbox"
                    ./dllab grade %1$s /autograder/submission --json /autograder/results/results.json --timeout 900 $sandbox%3$s \\
                      || echo '{"score": 0, "output": "The autograder itself failed; please tell the course staff."}' \\
                         > /autograder/results/results.json
                    """
                            .formatted(
                                    homework,
                                    showHiddenOutput
                                            ? " (--show-hidden-output: their messages too)"
                                            : "",
                                    showHiddenOutput ? " --show-hidden-output" : "");
            Path zip = gradescope.resolve("autograder.zip");
            try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(zip.toFile())) {
                add(z, "setup.sh", setup.getBytes(StandardCharsets.UTF_8), 0755);
                add(z, "run_autograder", run.getBytes(StandardCharsets.UTF_8), 0755);
                add(z, "dllab-source.tar.gz", Files.readAllBytes(source), 0644);
            }
            Files.writeString(
                    gradescope.resolve("README.md"),
                    """
                    # Gradescope autograder for %1$s

                    Upload `autograder.zip` as the assignment's autograder (Ubuntu base image). It holds `setup.sh`,
                    `run_autograder` and `dllab-source.tar.gz` (this repository's HEAD: commit first what you want graded).
                    Students upload the zip made by `dllab homework pack %1$s`.

                    Results include every test, public and hidden (Gradescope hides the `hidden` ones from students; for
                    hidden tests results.json carries only the test's name, points and one-line feedback%2$s).
                    REPORT.md is graded by hand.
                    """
                            .formatted(
                                    homework,
                                    showHiddenOutput
                                            ? ", and here their failure messages too (--show-hidden-output)"
                                            : ""),
                    StandardCharsets.UTF_8);
            return zip;
        } finally {
            Files.deleteIfExists(source);
        }
    }

    private static void add(ZipArchiveOutputStream z, String name, byte[] bytes, int mode)
            throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(mode);
        z.putArchiveEntry(e);
        z.write(bytes);
        z.closeArchiveEntry();
    }

    /**
     * The Classroom workflow: one step runs the public tests and writes dllab's per-test results;
     * then one grading step per graded test, worth that test's points, passes when dllab's result
     * for it says PASS; the reporter adds them up.
     *
     * @param homework e.g. {@code hw1}
     * @return the workflow's YAML
     */
    static String classroomWorkflow(String homework) {
        Map<String, Points> table =
                HomeworkRunner.pointsTable(homework, List.of(Visibility.VISIBLE));
        StringBuilder steps = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, Points> t : table.entrySet()) {
            String method = t.getKey().substring(t.getKey().indexOf('#') + 1);
            String id = method.replaceAll("[^A-Za-z0-9]", "-").toLowerCase(Locale.ROOT);
            ids.add(id);
            steps.append(
                    """
                          - name: %1$s
                            id: %2$s
                            uses: classroom-resources/autograding-command-grader@v1
                            with:
                              test-name: %1$s
                              command: grep -qxF 'PASS %3$s' dllab-results.txt
                              timeout: 1
                              max-score: %4$s
                    """
                            .formatted(method, id, t.getKey(), points(t.getValue().value())));
        }
        StringBuilder env = new StringBuilder();
        for (String id : ids) {
            env.append("          ")
                    .append(id.toUpperCase(Locale.ROOT).replace('-', '_'))
                    .append("_RESULTS: \"${{ steps.")
                    .append(id)
                    .append(".outputs.result }}\"\n");
        }
        return """
                # GitHub Classroom autograding for dllab %1$s: the student's repository holds the working copy made by
                # `dllab homework start %1$s` (src/main/java/...). The public tests run once on every push; each graded
                # test is its own step worth its points, so the Classroom score is dllab's public score.
                name: Autograding
                on: [push, workflow_dispatch]
                permissions:
                  checks: write
                  actions: read
                  contents: read
                jobs:
                  autograding:
                    runs-on: ubuntu-latest
                    timeout-minutes: 30
                    steps:
                      - uses: actions/checkout@v4
                      - uses: actions/setup-java@v4
                        with: {distribution: temurin, java-version: '17'}
                      - name: Get dllab
                        run: git clone --depth 1 "$DLLAB_REPO" ../dllab
                        env:
                          DLLAB_REPO: ${{ vars.DLLAB_REPO }}
                      - name: Public tests
                        run: ../dllab/dllab homework test %1$s --dir . --results dllab-results.txt || true
                %2$s      - name: Report
                        uses: classroom-resources/autograding-grading-reporter@v1
                        env:
                %3$s        with:
                          runners: %4$s
                """
                .formatted(homework, steps, env, String.join(",", ids));
    }

    private static String points(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
