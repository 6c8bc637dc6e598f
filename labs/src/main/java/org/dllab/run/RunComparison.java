package org.dllab.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Several run folders side by side ({@code dllab runs compare}): what students look at after
 * sweeping a hyper-parameter. The table shows the configuration values that differ between the runs
 * and the final figures; the plot overlays their per-epoch curves.
 */
public final class RunComparison {

    /** The figures from the last epoch, in the table's order. */
    private static final List<String> LAST_EPOCH =
            List.of("test_accuracy", "test_loss", "train_accuracy", "train_loss");

    private final List<Path> dirs;
    private final List<JsonObject> records;
    private final List<String> differing;

    private RunComparison(List<Path> dirs, List<JsonObject> records) {
        this.dirs = dirs;
        this.records = records;
        this.differing = differing(records);
    }

    /**
     * Reads the runs.
     *
     * @param dirs run folders, each with a {@code run.json}
     * @return the comparison
     * @throws IOException naming the folder whose {@code run.json} is missing or unreadable
     */
    public static RunComparison of(List<Path> dirs) throws IOException {
        if (dirs.size() < 2) {
            throw new IllegalArgumentException(
                    "compare needs two run folders or more, got " + dirs.size());
        }
        List<JsonObject> records = new ArrayList<>();
        for (Path dir : dirs) {
            Path file = dir.resolve("run.json");
            if (!Files.isRegularFile(file)) {
                throw new IOException(
                        dir
                                + " has no run.json: is it a run folder (dllab run ... -o "
                                + dir
                                + ")?");
            }
            try {
                records.add(RunRecord.read(file));
            } catch (RuntimeException e) {
                throw new IOException(
                        file + " is not a readable run record (" + e.getMessage() + ")", e);
            }
        }
        return new RunComparison(List.copyOf(dirs), records);
    }

    /**
     * The configuration keys whose values are not the same in every run.
     *
     * @return the keys, in the first run's order
     */
    public List<String> differingConfig() {
        return differing;
    }

    private static List<String> differing(List<JsonObject> records) {
        Set<String> keys = new LinkedHashSet<>();
        records.forEach(r -> keys.addAll(object(r, "config").keySet()));
        List<String> differing = new ArrayList<>();
        for (String key : keys) {
            Set<JsonElement> values = new LinkedHashSet<>();
            records.forEach(r -> values.add(object(r, "config").get(key)));
            if (values.size() > 1) {
                differing.add(key);
            }
        }
        return differing;
    }

    /**
     * The table: one column per run; the lab, status and seed, the differing configuration, the
     * last epoch's figures, every numeric summary figure the runs share, and the wall time.
     *
     * @return the text, one row per line
     */
    public String table() {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("run"));
        dirs.forEach(
                d ->
                        header.add(
                                d.getFileName() == null
                                        ? d.toString()
                                        : d.getFileName().toString()));
        rows.add(header);
        for (String key : List.of("lab", "status", "seed", "device")) {
            rows.add(row(key, r -> r.get(key)));
        }
        for (String key : differingConfig()) {
            rows.add(row("config." + key, r -> object(r, "config").get(key)));
        }
        for (String key : LAST_EPOCH) {
            if (records.stream().allMatch(r -> lastEpoch(r) != null)) {
                rows.add(row("last epoch " + key, r -> lastEpoch(r).get(key)));
            }
        }
        Set<String> shared = new LinkedHashSet<>(RunRecord.summaryOf(records.get(0)).keySet());
        records.forEach(r -> shared.retainAll(RunRecord.summaryOf(r).keySet()));
        for (String key : shared) {
            if (records.stream().allMatch(r -> isNumber(RunRecord.summaryOf(r).get(key)))) {
                rows.add(row(key, r -> RunRecord.summaryOf(r).get(key)));
            }
        }
        rows.add(row("wall_seconds", r -> r.get("wall_seconds")));
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                out.append(
                        i == 0
                                ? String.format(Locale.ROOT, "%-" + widths[i] + "s", row.get(i))
                                : String.format(Locale.ROOT, "  %" + widths[i] + "s", row.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Overlays the runs' per-epoch test accuracy and training loss.
     *
     * @param png the file to write
     * @return false (and nothing written) when no run has epochs
     * @throws IOException when it cannot be written
     */
    public boolean plot(Path png) throws IOException {
        XYChart accuracy = Plots.chart("Test accuracy per epoch", "epoch", "test accuracy");
        XYChart loss = Plots.chart("Training loss per epoch", "epoch", "training loss");
        accuracy.getStyler()
                .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        boolean any = false;
        for (int i = 0; i < records.size(); i++) {
            JsonArray epochs =
                    records.get(i).has("epochs")
                            ? records.get(i).getAsJsonArray("epochs")
                            : new JsonArray();
            if (epochs.isEmpty()) {
                continue;
            }
            double[] x = new double[epochs.size()];
            double[] acc = new double[epochs.size()];
            double[] trainLoss = new double[epochs.size()];
            for (int e = 0; e < epochs.size(); e++) {
                JsonObject m = epochs.get(e).getAsJsonObject();
                x[e] = m.get("epoch").getAsDouble();
                acc[e] = m.get("test_accuracy").getAsDouble();
                trainLoss[e] = m.get("train_loss").getAsDouble();
            }
            String name = label(i);
            accuracy.addSeries(name, x, acc);
            loss.addSeries(name, x, trainLoss);
            any = true;
        }
        if (!any) {
            return false;
        }
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(
                    List.of(accuracy, loss), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }

    /** A run's legend: its folder and what differs, e.g. {@code lr-0.01 (learning_rate=0.01)}. */
    private String label(int i) {
        List<String> parts = new ArrayList<>();
        for (String key : differingConfig()) {
            parts.add(key + "=" + text(object(records.get(i), "config").get(key)));
        }
        Path name = dirs.get(i).getFileName();
        return (name == null ? dirs.get(i).toString() : name.toString())
                + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    private List<String> row(
            String name, java.util.function.Function<JsonObject, JsonElement> value) {
        List<String> row = new ArrayList<>(List.of(name));
        records.forEach(r -> row.add(text(value.apply(r))));
        return row;
    }

    private static JsonObject lastEpoch(JsonObject record) {
        if (!record.has("epochs") || record.getAsJsonArray("epochs").isEmpty()) {
            return null;
        }
        JsonArray epochs = record.getAsJsonArray("epochs");
        return epochs.get(epochs.size() - 1).getAsJsonObject();
    }

    private static JsonObject object(JsonObject record, String key) {
        return record.has(key) && record.get(key).isJsonObject()
                ? record.getAsJsonObject(key)
                : new JsonObject();
    }

    private static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    private static String text(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "-";
        }
        if (isNumber(e)) {
            double v = e.getAsDouble();
            return v == Math.rint(v) && Math.abs(v) < 1e15
                    ? Long.toString((long) v)
                    : String.format(Locale.ROOT, "%.4g", v);
        }
        return Objects.toString(e.isJsonPrimitive() ? e.getAsString() : e.toString());
    }
}
