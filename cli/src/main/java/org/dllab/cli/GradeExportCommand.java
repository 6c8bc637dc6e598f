package org.dllab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.dllab.grading.runner.HomeworkRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dllab grade export HW --gradescope DIR | --github-classroom DIR}: run the same grader on existing platforms.
 * The Gradescope bundle installs a JDK and bubblewrap, fetches this repository's source (the bundle's
 * {@code dllab-source.tar.gz}, made with {@code git archive}), builds it and downloads the datasets; its
 * {@code run_autograder} grades {@code /autograder/submission} into {@code /autograder/results/results.json}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a Gradescope autograder bundle or a GitHub Classroom workflow for a homework.")
final class GradeExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "HW", description = "e.g. hw1")
    String homework;

    @Option(names = "--gradescope", paramLabel = "DIR", description = "Write setup.sh, run_autograder and README.md here.")
    Path gradescope;

    @Option(names = "--github-classroom", paramLabel = "DIR", description = "Write .github/workflows/classroom.yml under DIR.")
    Path classroom;

    @Override
    public Integer call() throws IOException {
        HomeworkRunner.testClasses(homework);
        if (gradescope == null && classroom == null) {
            throw new IllegalArgumentException("choose --gradescope DIR and/or --github-classroom DIR");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (gradescope != null) {
            Files.createDirectories(gradescope);
            write(gradescope.resolve("setup.sh"), """
                    #!/usr/bin/env bash
                    # Gradescope autograder setup for dllab %1$s: JDK 17, bubblewrap, dllab built from source, datasets.
                    set -euo pipefail
                    apt-get update -qq
                    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless bubblewrap git
                    mkdir -p /autograder/source/dllab
                    tar -xzf /autograder/source/dllab-source.tar.gz -C /autograder/source/dllab
                    cd /autograder/source/dllab
                    ./mvnw -q -B -DskipTests package -pl cli -am
                    ./dllab data download mnist cifar10
                    """.formatted(homework), true);
            write(gradescope.resolve("run_autograder"), """
                    #!/usr/bin/env bash
                    # Grades the student's upload with every test of %1$s; Gradescope reads results/results.json.
                    set -uo pipefail
                    mkdir -p /autograder/results
                    cd /autograder/source/dllab
                    ./dllab grade %1$s /autograder/submission --json /autograder/results/results.json --timeout 900 \\
                      || echo '{"score": 0, "output": "The autograder itself failed; please tell the course staff."}' \\
                         > /autograder/results/results.json
                    """.formatted(homework), true);
            write(gradescope.resolve("README.md"), """
                    # Gradescope autograder for %1$s

                    1. From the dllab repository: `git archive --format=tar.gz -o %2$s/dllab-source.tar.gz HEAD`
                    2. Zip this folder's files (setup.sh, run_autograder, dllab-source.tar.gz) at the top level of the zip
                       and upload it as the assignment's autograder (Ubuntu base image).
                    3. Students upload the zip made by `dllab homework pack %1$s`.

                    Results include every test, public and hidden (Gradescope hides the `hidden` ones from students);
                    REPORT.md is graded by hand.
                    """.formatted(homework, gradescope), false);
            out.println("Gradescope bundle written to " + gradescope.toAbsolutePath() + " (see its README.md)");
        }
        if (classroom != null) {
            Path wf = classroom.resolve(".github/workflows/classroom.yml");
            Files.createDirectories(wf.getParent());
            write(wf, """
                    # GitHub Classroom autograding for dllab %1$s: the student's repository holds the working copy made by
                    # `dllab homework start %1$s` (src/main/java/...); the public tests run on every push.
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
                            id: public
                            uses: classroom-resources/autograding-command-grader@v1
                            with:
                              test-name: public tests
                              command: ../dllab/dllab homework test %1$s --dir .
                              timeout: 20
                              max-score: 100
                          - name: Report
                            uses: classroom-resources/autograding-grading-reporter@v1
                            env:
                              PUBLIC_RESULTS: "${{ steps.public.outputs.result }}"
                            with:
                              runners: public
                    """.formatted(homework), false);
            out.println("GitHub Classroom workflow written to " + wf.toAbsolutePath()
                    + " (set the repository variable DLLAB_REPO to your course's dllab repository)");
        }
        out.flush();
        return 0;
    }

    private static void write(Path file, String text, boolean executable) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        if (executable) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException windows) {
                // Gradescope runs it with bash anyway
            }
        }
    }
}
