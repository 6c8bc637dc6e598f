package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.dllab.data.DatasetCatalog;
import org.dllab.labs.Lab;
import org.dllab.labs.LabCatalog;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The harness for every lab: a smoke run of each on the real data writes a {@code run.json} that
 * {@code docs/run-record.schema.json} accepts, the lab reads every option it declares, and an
 * option it does not declare is a usage error before anything runs.
 */
class LabHarnessTest {

    private static final PrintStream QUIET =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    /** NaN and Infinity are allowed in run.json (Gson writes them, Python's json reads them). */
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /**
     * --limit where 400 examples is not a small smoke run: characters in the two character-level
     * labs, new tokens in w12-llama (its greedy check needs 60), random splits in w14-gnn; the
     * emotion labs' own tests use 64 tweets.
     */
    private static final Map<String, Integer> LIMITS =
            Map.of(
                    "w08-char-lstm",
                    20_000,
                    "w12-gpt",
                    20_000,
                    "w12-llama",
                    60,
                    "w14-gnn",
                    1,
                    "w11-finetuning",
                    64,
                    "w13-lora",
                    64,
                    "w13-quantization",
                    64);

    @TempDir Path tmp;

    @AfterEach
    void clear() {
        TrainingInterrupt.clear();
    }

    static Stream<String> labIds() {
        return LabCatalog.all().stream().map(Lab::id);
    }

    static JsonSchema schema() throws Exception {
        Path file = Path.of("..", "docs", "run-record.schema.json");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(file.toFile()));
    }

    /**
     * Checks a run.json against the schema.
     *
     * @param runJson the file
     * @return the record
     * @throws Exception when it cannot be read
     */
    static JsonNode validRecord(Path runJson) throws Exception {
        JsonNode record = JSON.readTree(runJson.toFile());
        Set<ValidationMessage> errors = schema().validate(record);
        assertTrue(errors.isEmpty(), runJson + " breaks docs/run-record.schema.json: " + errors);
        return record;
    }

    /**
     * Small values for a smoke run of each option a lab declares (GPU and --resume are left unset).
     */
    private static RunOptions smoke(Lab lab, Path data, Path out) {
        RunOptions o = new RunOptions().seed(3).dataDir(data).offline(true).quiet(true).output(out);
        for (LabOption option : lab.options()) {
            switch (option) {
                case EPOCHS -> o.epochs(1);
                case BATCH_SIZE -> o.batchSize(16);
                case LEARNING_RATE -> o.learningRate(1e-3f);
                case MAX_BATCHES -> o.maxBatches(2);
                case LIMIT -> o.limit(LIMITS.getOrDefault(lab.id(), 400));
                case EPISODES -> o.episodes(3);
                case DATASET -> o.dataset(lab.datasets().get(0));
                case RESUME, GPU -> {}
            }
        }
        return o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labIds")
    void aSmokeRunWritesAValidRecordAndReadsEveryOptionTheLabDeclares(String id) throws Exception {
        Lab lab = LabCatalog.find(id);
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        Path out = tmp.resolve(id);
        RunOptions o = smoke(lab, data, out);
        LabResult result = lab.run(o, QUIET);

        JsonNode record = validRecord(out.resolve("run.json"));
        assertEquals("completed", record.get("status").asText());
        assertEquals(id, record.get("lab").asText());
        assertEquals("cpu", record.get("device").asText(), "no GPU here");
        assertTrue(record.get("wall_seconds").asDouble() > 0);
        assertEquals(
                result.summary().get("wall_seconds"), record.get("wall_seconds").asDouble(), 1e-9);
        assertFalse(record.get("summary").isEmpty(), "the lab's figures are in run.json");
        for (LabOption option :
                EnumSet.of(
                        LabOption.EPOCHS,
                        LabOption.BATCH_SIZE,
                        LabOption.LEARNING_RATE,
                        LabOption.LIMIT,
                        LabOption.EPISODES,
                        LabOption.DATASET)) {
            if (lab.options().contains(option)
                    && o.given().contains(option)
                    && option != LabOption.EPISODES) {
                assertTrue(
                        record.get("config").has(option.key()),
                        id + " records " + option.flag() + " as config." + option.key());
            }
        }
        Set<LabOption> unread = EnumSet.copyOf(lab.options());
        unread.removeAll(o.read());
        assertTrue(
                unread.isEmpty(),
                id
                        + " declares "
                        + unread
                        + " but never reads it: drop it from options() or honour it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labIds")
    void anOptionTheLabDoesNotHonourIsAUsageErrorBeforeAnythingRuns(String id) throws Exception {
        Lab lab = LabCatalog.find(id);
        for (LabOption option : EnumSet.complementOf(EnumSet.copyOf(lab.options()))) {
            Path out = tmp.resolve(id + "-" + option.key());
            RunOptions o = new RunOptions().quiet(true).output(out);
            switch (option) {
                case EPOCHS -> o.epochs(2);
                case BATCH_SIZE -> o.batchSize(8);
                case LEARNING_RATE -> o.learningRate(0.1f);
                case MAX_BATCHES -> o.maxBatches(1);
                case LIMIT -> o.limit(10);
                case EPISODES -> o.episodes(5);
                case DATASET -> o.dataset("imdb");
                case RESUME -> o.resume(true);
                case GPU -> o.device("gpu");
            }
            UnsupportedOptionException e =
                    assertThrows(
                            UnsupportedOptionException.class,
                            () -> lab.run(o, QUIET),
                            id + " " + option);
            if (option == LabOption.GPU) {
                assertTrue(
                        e.getMessage().contains("CPU only (" + lab.cpuOnlyBecause() + ")"),
                        e.getMessage());
            } else {
                assertTrue(
                        e.getMessage().startsWith(option.flag() + ": " + id + " does not use"),
                        e.getMessage());
                for (LabOption supported : lab.options()) {
                    assertTrue(
                            supported == LabOption.GPU || e.getMessage().contains(supported.flag()),
                            "names what it takes: " + e.getMessage());
                }
            }
            assertFalse(Files.exists(out), "nothing written for a usage error");
        }
    }

    @Test
    void anUnknownDatasetNamesTheLabsDatasets() {
        Lab lab = LabCatalog.find("w08-imdb-rnn");
        UnsupportedOptionException e =
                assertThrows(
                        UnsupportedOptionException.class,
                        () ->
                                lab.run(
                                        new RunOptions()
                                                .dataset("mnist")
                                                .quiet(true)
                                                .output(tmp.resolve("x")),
                                        QUIET));
        assertEquals(
                "--dataset mnist: w08-imdb-rnn takes imdb, waimai, waimai-chars (default imdb)",
                e.getMessage());
    }

    @Test
    void aSignalBetweenStepsLeavesAnInterruptedRecordAndTheExitStatusOfTheSignal()
            throws Exception {
        Path out = tmp.resolve("stopped");
        LabRun.Spec spec =
                new LabRun.Spec(
                        "w99-steps",
                        Set.of(LabOption.EPOCHS),
                        "a test lab",
                        java.util.List.of(),
                        false);
        int[] steps = {0};
        TrainingStoppedException e =
                assertThrows(
                        TrainingStoppedException.class,
                        () ->
                                LabRun.execute(
                                        spec,
                                        new RunOptions().epochs(3).quiet(true).output(out),
                                        QUIET,
                                        run -> {
                                            for (int epoch = 1; epoch <= run.epochs(1); epoch++) {
                                                for (int step = 0; step < 10; step++) {
                                                    steps[0]++;
                                                    if (epoch == 2 && step == 4) {
                                                        TrainingInterrupt.request(
                                                                "TERM"); // what the SIGTERM handler
                                                        // does
                                                    }
                                                    TrainingInterrupt.check();
                                                }
                                                run.record()
                                                        .addEpoch(
                                                                new EpochMetrics(
                                                                        epoch, 1, 0, 1, 0, 1, 10,
                                                                        100));
                                                run.save();
                                            }
                                            throw new AssertionError("not stopped");
                                        }));
        assertEquals(15, steps[0], "the step under way finishes, no further one starts");
        assertEquals(143, e.exitStatus());
        assertEquals(TrainingStoppedException.Reason.INTERRUPTED, e.reason());
        assertTrue(
                e.getMessage().contains("SIGTERM")
                        && e.getMessage().contains("run.json records status interrupted"),
                e.getMessage());
        JsonNode record = validRecord(out.resolve("run.json"));
        assertEquals("interrupted", record.get("status").asText());
        assertEquals(1, record.get("epochs").size(), "the finished epoch is kept");
        assertEquals(3, record.get("config").get("epochs").asInt());

        TrainingInterrupt.clear();
        TrainingInterrupt.request(); // Ctrl-C
        assertEquals(
                130,
                assertThrows(TrainingStoppedException.class, TrainingInterrupt::check)
                        .exitStatus());
    }

    @Test
    void aFailingLabLeavesAFailedRecordWithTheError() throws Exception {
        Path out = tmp.resolve("failed");
        LabRun.Spec spec =
                new LabRun.Spec("w99-broken", Set.of(), "a test lab", java.util.List.of(), false);
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                LabRun.execute(
                                        spec,
                                        new RunOptions().quiet(true).output(out),
                                        QUIET,
                                        run -> {
                                            throw new IllegalStateException("the data ran out");
                                        }));
        assertEquals("the data ran out", e.getMessage());
        JsonNode record = validRecord(out.resolve("run.json"));
        assertEquals("failed", record.get("status").asText());
        assertTrue(record.get("error").asText().contains("the data ran out"));
    }
}
