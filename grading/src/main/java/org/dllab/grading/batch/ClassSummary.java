package org.dllab.grading.batch;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The class's results, rebuilt from the journal: {@code grades.csv} (one row per student: id,
 * total, each test, AI declarations), {@code summary.md} (mean, median, per-test pass rate) and
 * {@code histogram.png}.
 *
 * @param homework the homework
 * @param rows student id to journal line
 * @param tests every test name, sorted
 */
public record ClassSummary(String homework, Map<String, JsonObject> rows, List<String> tests) {

    static ClassSummary of(String homework, Map<String, JsonObject> rows) {
        TreeSet<String> names = new TreeSet<>();
        rows.values().forEach(o -> names.addAll(o.getAsJsonObject("tests").keySet()));
        return new ClassSummary(homework, rows, new ArrayList<>(names));
    }

    /**
     * Mean total score.
     *
     * @return the mean
     */
    public double mean() {
        return rows.values().stream()
                .mapToDouble(o -> o.get("score").getAsDouble())
                .average()
                .orElse(0);
    }

    /**
     * Median total score.
     *
     * @return the median
     */
    public double median() {
        double[] s =
                rows.values().stream()
                        .mapToDouble(o -> o.get("score").getAsDouble())
                        .sorted()
                        .toArray();
        return s.length == 0
                ? 0
                : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    void write(Path out) throws IOException {
        Path csv = out.resolve("grades.csv.tmp");
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            List<String> header = new ArrayList<>(List.of("student", "total", "max"));
            header.addAll(tests);
            header.add("ai_declarations");
            p.printRecord(header);
            for (Map.Entry<String, JsonObject> e : rows.entrySet()) {
                JsonObject o = e.getValue();
                List<Object> row =
                        new ArrayList<>(
                                List.of(
                                        e.getKey(),
                                        o.get("score").getAsDouble(),
                                        o.get("max").getAsDouble()));
                for (String t : tests) {
                    row.add(
                            o.getAsJsonObject("tests").has(t)
                                    ? o.getAsJsonObject("tests").get(t).getAsDouble()
                                    : 0.0);
                }
                row.add(o.has("ai_declarations") ? o.get("ai_declarations").getAsString() : "");
                p.printRecord(row);
            }
        }
        Files.move(
                csv, out.resolve("grades.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        StringBuilder md = new StringBuilder("# " + homework + ": class summary\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "%d students; mean %.2f, median %.2f%n%n",
                        rows.size(),
                        mean(),
                        median()));
        rows.values().stream()
                .filter(o -> o.has("isolation"))
                .map(o -> o.get("isolation").getAsString())
                .distinct()
                .sorted()
                .forEach(i -> md.append("Isolation: ").append(i).append("\n\n"));
        md.append("| test | pass rate |\n|---|---|\n");
        for (String t : tests) {
            long passed =
                    rows.values().stream()
                            .filter(
                                    o -> {
                                        var ts = o.getAsJsonObject("tests");
                                        return ts.has(t) && ts.get(t).getAsDouble() > 0;
                                    })
                            .count();
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.0f %% |%n",
                            t,
                            rows.isEmpty() ? 0 : 100.0 * passed / rows.size()));
        }
        Files.writeString(out.resolve("summary.md"), md.toString(), StandardCharsets.UTF_8);
        double max =
                rows.values().stream().mapToDouble(o -> o.get("max").getAsDouble()).max().orElse(1);
        int bins = 10;
        List<String> labels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            labels.add(
                    String.format(Locale.ROOT, "%.0f-%.0f", max * b / bins, max * (b + 1) / bins));
            counts.add(0);
        }
        for (JsonObject o : rows.values()) {
            int b = (int) Math.min(bins - 1, Math.floor(o.get("score").getAsDouble() / max * bins));
            counts.set(b, counts.get(b) + 1);
        }
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(640)
                        .height(400)
                        .title(homework + ": scores")
                        .xAxisTitle("points")
                        .yAxisTitle("students")
                        .build();
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("students", labels, counts);
        BitmapEncoder.saveBitmap(
                chart, out.resolve("histogram.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
