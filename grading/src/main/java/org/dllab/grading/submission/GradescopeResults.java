package org.dllab.grading.submission;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.dllab.grading.runner.TestOutcome;

/**
 * Writes a grade in Gradescope's {@code results.json} format (score, execution_time, output,
 * tests[]).
 */
public final class GradescopeResults {

    private GradescopeResults() {}

    /**
     * The JSON object, as students see it: hidden tests show only their feedback line.
     *
     * @param report the grade
     * @return the results object
     */
    public static JsonObject toJson(GradeReport report) {
        return toJson(report, false);
    }

    /**
     * The JSON object.
     *
     * @param report the grade
     * @param showHidden whether hidden tests' failure messages are shown ({@code
     *     --show-hidden-output})
     * @return the results object
     */
    public static JsonObject toJson(GradeReport report, boolean showHidden) {
        JsonObject root = new JsonObject();
        root.addProperty("score", report.score());
        root.addProperty("execution_time", Math.round(report.seconds()));
        StringBuilder output = new StringBuilder(String.join("\n", report.notes()));
        for (AiDeclarations.Declaration d : report.aiDeclarations()) {
            output.append("\nAI-use declaration, ")
                    .append(d.file())
                    .append(':')
                    .append(d.line())
                    .append(": ")
                    .append(d.text());
        }
        output.append("\nIsolation: ").append(report.isolation());
        root.addProperty("output", output.toString());
        JsonObject extra = new JsonObject();
        extra.addProperty("isolation", report.isolation());
        root.add("extra_data", extra);
        root.addProperty("visibility", "visible");
        root.addProperty("stdout_visibility", "hidden");
        JsonArray tests = new JsonArray();
        int n = 0;
        for (TestOutcome t : report.tests()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", t.name().substring(t.name().lastIndexOf('.') + 1));
            o.addProperty("number", "1." + (++n));
            o.addProperty("score", t.score());
            o.addProperty("max_score", t.maxScore());
            o.addProperty("status", t.passed() ? "passed" : "failed");
            o.addProperty("visibility", t.visibility().name().toLowerCase(Locale.ROOT));
            o.addProperty("output", t.studentOutput(showHidden));
            tests.add(o);
        }
        root.add("tests", tests);
        return root;
    }

    /**
     * Writes {@code results.json}.
     *
     * @param report the grade
     * @param file where
     * @throws IOException on write failure
     */
    public static void write(GradeReport report, Path file) throws IOException {
        write(report, file, false);
    }

    /**
     * Writes {@code results.json}.
     *
     * @param report the grade
     * @param file where
     * @param showHidden whether hidden tests' failure messages are shown
     * @throws IOException on write failure
     */
    public static void write(GradeReport report, Path file, boolean showHidden) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(
                file,
                new GsonBuilder().setPrettyPrinting().create().toJson(toJson(report, showHidden)),
                StandardCharsets.UTF_8);
    }
}
