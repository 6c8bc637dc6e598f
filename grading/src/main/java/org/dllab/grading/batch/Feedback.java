package org.dllab.grading.batch;

import java.util.Locale;
import org.dllab.grading.Visibility;
import org.dllab.grading.runner.TestOutcome;
import org.dllab.grading.submission.AiDeclarations;
import org.dllab.grading.submission.GradeReport;

/**
 * A student's {@code feedback.md} (score, each test with its feedback, notes, AI-use declarations;
 * a hidden test's failure message only when the instructor shows it), or the instructor's copy with
 * every message.
 */
final class Feedback {

    private Feedback() {}

    static String markdown(GradeReport r, boolean showHidden) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.homework()).append(" — ").append(r.student()).append("\n\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "**Score: %.1f / %.1f** (REPORT.md is graded by hand separately)%n%n",
                        r.score(),
                        r.maxScore()));
        sb.append("| test | points | result |\n|---|---|---|\n");
        for (TestOutcome t : r.tests()) {
            String name = t.name().substring(t.name().lastIndexOf('#') + 1);
            String label = t.visibility() == Visibility.VISIBLE ? name : name + " (hidden test)";
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.1f / %.1f | %s |%n",
                            label,
                            t.score(),
                            t.maxScore(),
                            t.passed()
                                    ? "passed"
                                    : "failed: "
                                            + t.studentOutput(showHidden).replace("|", "\\|")));
        }
        if (!r.notes().isEmpty()) {
            sb.append("\n## Notes\n\n");
            r.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        sb.append("\nIsolation: ").append(r.isolation()).append('\n');
        sb.append("\n## AI-use declarations / AI 使用聲明\n\n");
        if (r.aiDeclarations().isEmpty()) {
            sb.append("None found.\n");
        } else {
            for (AiDeclarations.Declaration d : r.aiDeclarations()) {
                sb.append("- `")
                        .append(d.file())
                        .append(':')
                        .append(d.line())
                        .append("` ")
                        .append(d.text())
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
