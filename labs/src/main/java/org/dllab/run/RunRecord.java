package org.dllab.run;

import ai.djl.engine.Engine;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dllab.core.DjlRuntime;

/**
 * The {@code run.json} of a run folder: what was run (lab, config, seed), where (engine, device,
 * versions), and what it measured per epoch. Written after every epoch, atomically, so an
 * interrupted run still leaves a valid record of the epochs it finished.
 */
public final class RunRecord {

    /**
     * snake_case keys, as in {@code docs/run-record.schema.json}; NaN and infinities written as
     * such.
     */
    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeSpecialFloatingPointValues()
                    .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                    .create();

    /** The version of the record's layout: {@code docs/run-record.schema.json}. */
    public static final int SCHEMA_VERSION = 1;

    private final int schema = SCHEMA_VERSION;

    private final String lab;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final long seed;
    private final String started = Instant.now().toString();
    private String finished;
    private String status = "running";
    private String engine;
    private String device;
    private final Map<String, String> versions = new LinkedHashMap<>();
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private double wallSeconds;
    private Double samplesPerSecond;
    private Double peakRssMegabytes;
    private String error;
    private final Map<String, Object> summary = new LinkedHashMap<>();

    /**
     * Starts a record.
     *
     * @param lab the lab id
     * @param seed the seed
     * @param device the device used: {@code cpu} or {@code gpu:N} ({@link #deviceName})
     */
    public RunRecord(String lab, long seed, String device) {
        this.lab = lab;
        this.seed = seed;
        this.device = device;
        this.engine = DjlRuntime.describeEngine();
        versions.put(
                "dllab",
                RunRecord.class.getPackage().getImplementationVersion() == null
                        ? "dev"
                        : RunRecord.class.getPackage().getImplementationVersion());
        versions.put("djl", Engine.getDjlVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        versions.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        config.put(
                "intra_op_threads", org.dllab.core.CpuThreads.current()); // see Lab.smallOperations
    }

    /**
     * Records a configuration value.
     *
     * @param key the name
     * @param value the value
     * @return this
     */
    public RunRecord config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    /**
     * Records a summary value (final accuracy, parameter count, ...); the harness adds the lab's
     * {@link LabResult#summary()} at the end.
     *
     * @param key the name
     * @param value the value
     * @return this
     */
    public RunRecord result(String key, Object value) {
        summary.put(key, value);
        return this;
    }

    /**
     * Adds an epoch.
     *
     * @param m the metrics
     */
    public void addEpoch(EpochMetrics m) {
        epochs.add(m);
    }

    /**
     * Marks the run finished (the harness does, {@link LabRun}).
     *
     * @param status {@code completed}, {@code diverged}, {@code interrupted} or {@code failed}
     * @param wallSeconds total time
     * @param error what failed, or null
     */
    void finish(String status, double wallSeconds, String error) {
        this.status = status;
        this.finished = Instant.now().toString();
        this.wallSeconds = wallSeconds;
        this.error = error;
        this.samplesPerSecond =
                epochs.isEmpty()
                        ? null
                        : epochs.stream()
                                .mapToDouble(EpochMetrics::samplesPerSecond)
                                .average()
                                .orElse(0);
        this.peakRssMegabytes = MemoryProbe.peakResidentMegabytes();
    }

    /**
     * The record's name for a device: {@code cpu} or {@code gpu:N}, whatever DJL's own spelling.
     *
     * @param device the device
     * @return the name
     */
    public static String deviceName(ai.djl.Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /**
     * The epochs so far.
     *
     * @return the metrics
     */
    public List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * Writes {@code run.json} into a folder (via a temporary file and an atomic rename).
     *
     * @param dir the run folder
     * @return the file written
     * @throws IOException when it cannot be written
     */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("run.json");
        Path tmp = dir.resolve("run.json.tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            GSON.toJson(this, w);
        }
        try {
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /**
     * Reads a {@code run.json} as a JSON tree (for tools and tests).
     *
     * @param file the file
     * @return the JSON object
     * @throws IOException when it cannot be read
     */
    public static JsonObject read(Path file) throws IOException {
        return GSON.fromJson(Files.readString(file), JsonObject.class);
    }

    /**
     * The {@code summary} of a record read with {@link #read}; records from before schema 1 called
     * it {@code results}.
     *
     * @param record the record
     * @return the summary (empty when there is none)
     */
    public static JsonObject summaryOf(JsonObject record) {
        for (String key : new String[] {"summary", "results"}) {
            if (record.has(key) && record.get(key).isJsonObject()) {
                return record.getAsJsonObject(key);
            }
        }
        return new JsonObject();
    }

    /**
     * What the record holds at one moment, to find what an experiment added ({@link
     * #changesSince}).
     */
    record Snapshot(JsonObject config, JsonObject summary, int epochs) {}

    /** Values as JSON, so a table changed in place after the snapshot still shows as changed. */
    Snapshot snapshot() {
        return new Snapshot(
                GSON.toJsonTree(config).getAsJsonObject(),
                GSON.toJsonTree(summary).getAsJsonObject(),
                epochs.size());
    }

    /**
     * The configuration, summary entries and epochs added or changed since a snapshot, as JSON (an
     * experiment's share of the record, kept so that {@code --resume} can put it back).
     */
    JsonObject changesSince(Snapshot before) {
        JsonObject changes = new JsonObject();
        changes.add("config", changed(before.config(), config));
        changes.add("summary", changed(before.summary(), summary));
        changes.add("epochs", GSON.toJsonTree(epochs.subList(before.epochs(), epochs.size())));
        return changes;
    }

    private static JsonObject changed(JsonObject before, Map<String, Object> now) {
        JsonObject out = new JsonObject();
        now.forEach(
                (k, v) -> {
                    var json = GSON.toJsonTree(v);
                    if (!json.equals(before.get(k))) {
                        out.add(k, json);
                    }
                });
        return out;
    }

    /**
     * Puts back an experiment's share of the record ({@link #changesSince}) from an earlier run.
     */
    void replay(JsonObject changes) {
        changes.getAsJsonObject("config")
                .entrySet()
                .forEach(e -> config.put(e.getKey(), e.getValue()));
        changes.getAsJsonObject("summary")
                .entrySet()
                .forEach(e -> summary.put(e.getKey(), e.getValue()));
        for (var e : changes.getAsJsonArray("epochs")) {
            epochs.add(GSON.fromJson(e, EpochMetrics.class));
        }
    }

    /**
     * Takes over the first epochs of an earlier record of the same run ({@code --resume}), so that
     * {@code run.json} and the curves cover the whole run.
     *
     * @param dir the run folder holding the earlier {@code run.json}
     * @param epochsDone how many epochs the checkpoint holds
     * @throws IOException when the earlier record cannot be read
     */
    public void continueFrom(Path dir, int epochsDone) throws IOException {
        Path file = dir.resolve("run.json");
        if (!Files.isRegularFile(file)) {
            return;
        }
        JsonObject earlier = read(file);
        if (earlier.has("epochs")) {
            for (var e : earlier.getAsJsonArray("epochs")) {
                EpochMetrics m = GSON.fromJson(e, EpochMetrics.class);
                if (m.epoch() <= epochsDone) {
                    epochs.add(m);
                }
            }
        }
        config.put("resumed_after_epoch", epochsDone);
    }
}
