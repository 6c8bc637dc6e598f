package org.dllab.run;

import ai.djl.Device;
import ai.djl.TrainingDivergedException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dllab.core.CpuThreads;
import org.dllab.core.Devices;
import org.dllab.core.DjlRuntime;

/**
 * The harness every lab runs in ({@code dllab run}, tests, a lab's {@code main}). It checks the
 * options against what the lab declares, seeds the engine, picks the device and the CPU threads,
 * makes the run folder, starts the {@link RunRecord} and times the run; the lab trains and reports;
 * the harness then finishes the record with one status ({@code completed}, {@code diverged}, {@code
 * interrupted}, {@code failed}), the wall time and the lab's summary, and writes {@code run.json}
 * whatever happened. SIGINT and SIGTERM stop the lab after its current step ({@link
 * TrainingInterrupt}).
 *
 * <p>A lab sees only this object: its options (with {@link #epochs}, {@link #batchSize} and {@link
 * #learningRate} resolving the lab's defaults and recording them under the same keys in every lab),
 * where to log, the device, the run folder and the record.
 */
public final class LabRun {

    /**
     * What the harness knows of a lab.
     *
     * @param id the lab's id
     * @param options the lab-specific options it honours
     * @param cpuOnlyBecause why it ignores a GPU (null when {@code options} holds {@link
     *     LabOption#GPU})
     * @param datasets its {@code --dataset} values, default first (empty: one dataset)
     * @param smallOperations whether it runs faster on one libtorch thread ({@link
     *     CpuThreads#forSmallOperations})
     */
    public record Spec(
            String id,
            Set<LabOption> options,
            String cpuOnlyBecause,
            List<String> datasets,
            boolean smallOperations) {

        /**
         * Checks the declaration.
         *
         * @param id the lab's id
         * @param options the options it honours
         * @param cpuOnlyBecause why it ignores a GPU
         * @param datasets its datasets
         * @param smallOperations one thread or all
         */
        public Spec {
            options = options.isEmpty() ? EnumSet.noneOf(LabOption.class) : EnumSet.copyOf(options);
            if (options.contains(LabOption.GPU) == (cpuOnlyBecause != null)) {
                throw new IllegalStateException(
                        id
                                + ": a lab either honours --device gpu or says why it runs on the CPU only");
            }
            if (options.contains(LabOption.DATASET) == datasets.isEmpty()) {
                throw new IllegalStateException(
                        id + ": a lab takes --dataset exactly when it names its datasets");
            }
        }
    }

    /** A lab's work inside the harness. */
    @FunctionalInterface
    public interface Body {
        /**
         * Trains and reports.
         *
         * @param run the harness
         * @return what the lab measured
         * @throws Exception when data are missing or broken, or training fails
         */
        LabResult run(LabRun run) throws Exception;
    }

    /**
     * One of a lab's experiments ({@link #experiment}).
     *
     * @param <T> what it measured: data only (records, lists, numbers), so that a resumed run can
     *     read it back
     */
    @FunctionalInterface
    public interface Experiment<T> {
        /**
         * Runs the experiment.
         *
         * @return what it measured
         * @throws Exception when data are missing or broken, or training fails
         */
        T run() throws Exception;
    }

    /**
     * The folder of a run folder that keeps what {@code --resume} needs: each finished experiment
     * ({@link #experiment}) and the checkpoint of the one running; deleted when the run completes.
     * Named so that it cannot be a folder of the user's own, should {@code --output} point at one.
     */
    public static final String RESUME_STATE = ".dllab-resume";

    /** Tests only: runs after each experiment that ran (to press "Ctrl-C" between two). */
    static volatile java.util.function.Consumer<String> afterExperiment;

    /** Experiment results as JSON; NaN is a possible figure. */
    private static final Gson GSON =
            new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final RunOptions options;
    private final PrintStream log;
    private final Device device;
    private final Path dir;
    private final RunRecord record;
    private final long start = System.nanoTime();
    private final JsonObject optionsGiven;
    private final List<String> readBack = new ArrayList<>();
    private final Set<String> experimentNames = new java.util.HashSet<>();
    private String current;

    private LabRun(Spec spec, RunOptions options, PrintStream log, Device device, Path dir) {
        this.options = options;
        this.log = log;
        this.device = device;
        this.dir = dir;
        this.record = new RunRecord(spec.id(), options.seed(), RunRecord.deviceName(device));
        this.optionsGiven = optionsGiven(options);
        // the options given, under the same keys in every lab; the lab adds the defaults it
        // resolves
        for (LabOption o : options.given()) {
            if (o != LabOption.GPU) { // the device has its own key
                record.config(o.key(), options.value(o));
            }
        }
        if (!spec.datasets().isEmpty() && !options.given().contains(LabOption.DATASET)) {
            record.config(LabOption.DATASET.key(), spec.datasets().get(0));
        }
    }

    /**
     * Runs a lab in the harness.
     *
     * @param spec what the lab declares
     * @param options the options given
     * @param out progress and messages (ignored when {@link RunOptions#quiet()})
     * @param body the lab
     * @return what it measured, its summary with {@code wall_seconds}
     * @throws UnsupportedOptionException when an option is not one the lab honours (a usage error)
     * @throws TrainingStoppedException when the run diverged or a signal stopped it ({@code
     *     run.json} is written)
     * @throws Exception what the lab threw ({@code run.json} says {@code failed})
     */
    public static LabResult execute(Spec spec, RunOptions options, PrintStream out, Body body)
            throws Exception {
        check(spec, options);
        DjlRuntime.engine((int) options.seed());
        Device device =
                spec.options().contains(LabOption.GPU)
                        ? Devices.parse(options.device())
                        : Device.cpu();
        Path dir =
                options.outputOr(
                        folderName(
                                spec.id(),
                                (String) options.value(LabOption.DATASET),
                                spec.datasets()));
        Files.createDirectories(dir);
        if (!(boolean) options.value(LabOption.RESUME)) {
            // a later --resume must not read back another run's results
            org.dllab.core.FileTrees.delete(dir.resolve(RESUME_STATE));
        }
        TrainingInterrupt.install();
        TrainingInterrupt.clear();
        try (CpuThreads threads =
                spec.smallOperations() ? CpuThreads.forSmallOperations(device) : null) {
            LabRun run = new LabRun(spec, options, options.quiet() ? null : out, device, dir);
            return run.run(body);
        }
    }

    private LabResult run(Body body) throws Exception {
        LabResult result;
        try {
            result = body.run(this);
        } catch (TrainingStoppedException stopped) {
            end(stopped.status(), null);
            String where =
                    dir.resolve("run.json")
                            + " records status "
                            + stopped.status()
                            + " with what was done";
            if (stopped.reason() == TrainingStoppedException.Reason.INTERRUPTED
                    && Files.isDirectory(dir.resolve(RESUME_STATE))
                    && !stopped.getMessage().contains("--resume")) {
                where +=
                        "; add --resume to the same command to go on from there (kept in "
                                + dir.resolve(RESUME_STATE)
                                + ")";
            }
            throw new TrainingStoppedException(
                    stopped.reason(), stopped.getMessage() + "; " + where, stopped.signal());
        } catch (TrainingDivergedException diverged) {
            end("diverged", diverged.getMessage());
            throw diverged;
        } catch (Exception | Error failure) {
            try {
                end("failed", failure.toString());
            } catch (IOException | RuntimeException cannotWrite) {
                failure.addSuppressed(cannotWrite);
            }
            throw failure;
        }
        if (record.epochs().isEmpty()) {
            result.epochs().forEach(record::addEpoch);
        }
        result.summary().forEach(record::result);
        // what --resume would need is of no use once the run is complete
        org.dllab.core.FileTrees.delete(dir.resolve(RESUME_STATE));
        double wall = end("completed", null);
        Map<String, Double> summary = new LinkedHashMap<>(result.summary());
        summary.put("wall_seconds", wall);
        return new LabResult(dir, result.epochs(), summary);
    }

    private double end(String status, String error) throws IOException {
        double wall = seconds();
        record.finish(status, wall, error);
        record.write(dir);
        return wall;
    }

    /**
     * The default run folder's name: the lab's id, with the dataset appended when it is not the
     * lab's first, so runs on different data do not overwrite each other.
     *
     * @param labId the lab
     * @param dataset {@code --dataset}, or null
     * @param datasets the lab's datasets, default first
     * @return e.g. {@code w08-imdb-rnn-waimai}
     */
    public static String folderName(String labId, String dataset, List<String> datasets) {
        return dataset == null || datasets.isEmpty() || dataset.equals(datasets.get(0))
                ? labId
                : labId + "-" + dataset;
    }

    /**
     * Usage errors before anything runs: an option the lab does not read, a GPU it cannot use, an
     * unknown dataset.
     */
    private static void check(Spec spec, RunOptions options) {
        Set<LabOption> unsupported = options.given();
        unsupported.removeAll(spec.options());
        if (unsupported.contains(LabOption.GPU)) {
            throw new UnsupportedOptionException(
                    "--device "
                            + options.device()
                            + ": "
                            + spec.id()
                            + " runs on the CPU only ("
                            + spec.cpuOnlyBecause()
                            + "); leave --device out or use --device cpu");
        }
        if (!unsupported.isEmpty()) {
            String takes =
                    spec.options().stream()
                            .filter(o -> o != LabOption.GPU)
                            .map(LabOption::flag)
                            .collect(Collectors.joining(", "));
            throw new UnsupportedOptionException(
                    unsupported.stream().map(LabOption::flag).collect(Collectors.joining(", "))
                            + ": "
                            + spec.id()
                            + " does not use "
                            + (unsupported.size() == 1 ? "this option" : "these options")
                            + "; besides --seed, --data-dir, --output, --quiet, --offline and --device it takes "
                            + (takes.isEmpty() ? "no others" : takes)
                            + " (see docs/labs/"
                            + spec.id()
                            + ".md)");
        }
        if (options.dataset() != null && !spec.datasets().contains(options.dataset())) {
            throw new UnsupportedOptionException(
                    "--dataset "
                            + options.dataset()
                            + ": "
                            + spec.id()
                            + " takes "
                            + String.join(", ", spec.datasets())
                            + " (default "
                            + spec.datasets().get(0)
                            + ")");
        }
    }

    /**
     * The options as given; a lab reads its own ones through {@link #epochs} and the like where it
     * can.
     *
     * @return the options
     */
    public RunOptions options() {
        return options;
    }

    /**
     * Where progress and messages go.
     *
     * @return the stream, or null for a quiet run
     */
    public PrintStream log() {
        return log;
    }

    /**
     * The device: the one asked for when the lab honours {@code --device gpu}, else the CPU.
     *
     * @return the device
     */
    public Device device() {
        options.device(); // marks --device as read
        return device;
    }

    /**
     * The run folder (created).
     *
     * @return {@code --output}, or {@code runs/<lab>}
     */
    public Path dir() {
        return dir;
    }

    /**
     * The run's record: the lab adds its configuration, epochs and results; the harness finishes
     * and writes it.
     *
     * @return the record
     */
    public RunRecord record() {
        return record;
    }

    /**
     * The seed.
     *
     * @return {@code --seed}
     */
    public long seed() {
        return options.seed();
    }

    /**
     * Seconds since the harness started the run.
     *
     * @return seconds
     */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Runs one of the lab's experiments, so that a stopped run can go on where it stopped: when the
     * experiment finishes, what it returned and what it added to the record go to {@code
     * .dllab-resume/NAME.json} in the run folder; a run started again with {@code --resume} (same
     * command, same options) reads a finished experiment back from there instead of running it
     * again, and runs the rest. The experiment a signal stopped runs again from its start.
     *
     * <p>A resumed run's later experiments draw different random numbers than an uninterrupted
     * run's would (libtorch's generator state is not saved), so their figures may differ within the
     * noise of a different seed.
     *
     * @param name a name unique in the lab, usable as a file name (e.g. {@code a-linear-probe})
     * @param type the class of the result
     * @param work the experiment
     * @param <T> its result: data only (records, lists, maps, numbers, strings)
     * @return what it measured, now or in the earlier run
     * @throws Exception what the experiment throws; {@code --resume} with other options than the
     *     stopped run's is an {@link IllegalArgumentException}
     */
    public <T> T experiment(String name, Class<T> type, Experiment<T> work) throws Exception {
        if (!name.matches("[a-z0-9][a-z0-9-]*") || !experimentNames.add(name)) {
            throw new IllegalArgumentException(
                    "experiment name '" + name + "': lower-case letters, digits and -, once a lab");
        }
        Path file = dir.resolve(RESUME_STATE).resolve(name + ".json");
        if (options.resume()) {
            requireEarlierRun();
        }
        if (options.resume() && Files.isRegularFile(file)) {
            JsonObject stored = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            checkSameOptions(stored.get("options"));
            record.replay(stored.getAsJsonObject("record"));
            readBack.add(name);
            record.config("resumed_experiments", List.copyOf(readBack));
            if (log != null) {
                log.printf(
                        "Experiment %s: finished in the earlier run, read back from %s%n",
                        name, file);
            }
            return GSON.fromJson(stored.get("result"), type);
        }
        RunRecord.Snapshot before = record.snapshot();
        current = name;
        T result;
        try {
            result = work.run();
        } finally {
            current = null;
        }
        JsonObject stored = new JsonObject();
        stored.addProperty("experiment", name);
        stored.add("options", optionsGiven);
        stored.add("record", record.changesSince(before));
        stored.add("result", GSON.toJsonTree(result, type));
        Files.createDirectories(file.getParent());
        org.dllab.core.FileTrees.writeAtomically(file, GSON.toJson(stored));
        org.dllab.core.FileTrees.delete(checkpointFolder(name)); // the result is kept: enough
        save();
        var hook = afterExperiment;
        if (hook != null) {
            hook.accept(name);
        }
        return result;
    }

    /**
     * Where the experiment now running keeps its training checkpoint ({@link
     * ClassifierTraining#resumable}): {@code .dllab-resume/NAME.checkpoint/}, or {@code
     * .dllab-resume/lab.checkpoint/} outside an experiment; deleted when the experiment finishes
     * and when a run starts without {@code --resume}.
     */
    Path checkpointFolder() {
        return checkpointFolder(current == null ? "lab" : current);
    }

    private Path checkpointFolder(String name) {
        return dir.resolve(RESUME_STATE).resolve(name + ".checkpoint");
    }

    /**
     * Checks, for {@code --resume}, that the run folder holds an earlier run.
     *
     * @throws IllegalArgumentException when it holds no {@code run.json}
     */
    void requireEarlierRun() {
        if (!Files.isRegularFile(dir.resolve("run.json"))) {
            throw new IllegalArgumentException(
                    "--resume: no earlier run in "
                            + dir
                            + " (no run.json); start without --resume, or give the stopped run's"
                            + " --output");
        }
    }

    /**
     * Checks that a checkpoint or result was written under the options of this run ({@code
     * --resume}).
     *
     * @param stored the options saved with it
     * @throws IllegalArgumentException when they differ
     */
    void checkSameOptions(JsonElement stored) {
        if (!optionsGiven.equals(stored)) {
            throw new IllegalArgumentException(
                    "--resume: the run in "
                            + dir
                            + " was started with "
                            + stored
                            + ", this command gives "
                            + optionsGiven
                            + "; resume with the same options, or leave --resume out to start"
                            + " again");
        }
    }

    /**
     * The options a resumed run must share with the stopped one.
     *
     * @return seed, device and the options given
     */
    JsonObject optionsGiven() {
        return optionsGiven.deepCopy();
    }

    /** What must match for {@code --resume}: the seed and every option given but --resume. */
    private static JsonObject optionsGiven(RunOptions options) {
        JsonObject given = new JsonObject();
        given.addProperty("seed", options.seed());
        given.addProperty("device", (String) options.value(LabOption.GPU));
        for (LabOption o : options.given()) {
            if (o != LabOption.RESUME && o != LabOption.GPU) {
                given.addProperty(o.key(), String.valueOf(options.value(o)));
            }
        }
        return given;
    }

    /**
     * {@code --epochs} or the lab's default, recorded as {@code config.epochs}.
     *
     * @param labDefault the lab's default
     * @return the value
     */
    public int epochs(int labDefault) {
        int v = options.epochsOr(labDefault);
        record.config("epochs", v);
        return v;
    }

    /**
     * {@code --episodes} or the lab's default, recorded as {@code config.episodes}.
     *
     * @param labDefault the lab's default
     * @return the value
     */
    public int episodes(int labDefault) {
        int v = options.episodesOr(labDefault);
        record.config("episodes", v);
        return v;
    }

    /**
     * {@code --batch-size} or the lab's default, recorded as {@code config.batch_size}.
     *
     * @param labDefault the lab's default
     * @return the value
     */
    public int batchSize(int labDefault) {
        int v = options.batchSizeOr(labDefault);
        record.config("batch_size", v);
        return v;
    }

    /**
     * {@code --lr} or the lab's default, recorded as {@code config.learning_rate}.
     *
     * @param labDefault the lab's default
     * @return the value
     */
    public float learningRate(float labDefault) {
        float v = options.learningRateOr(labDefault);
        record.config("learning_rate", v);
        return v;
    }

    /**
     * Writes {@code run.json} now (after an epoch), so a crash or a kill still leaves the epochs
     * done.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public void save() {
        try {
            record.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run.json in " + dir, e);
        }
    }
}
