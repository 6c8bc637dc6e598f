package org.dllab.labs.week08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run on the real IMDb subset: the pipeline's statistics are sane and the same seed gives
 * the same metrics.
 */
class ImdbRnnLabTest {

    private static final PrintStream QUIET =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir Path tmp;

    @Test
    void smokeRunOnRealReviewsIsReproducible() throws Exception {
        Path data = TestData.require(DatasetCatalog.IMDB).getParent();
        RunOptions o = new RunOptions().epochs(1).maxBatches(2).seed(5).dataDir(data).quiet(true);
        Map<String, Double> a = new ImdbRnnLab().run(o.output(tmp.resolve("a")), QUIET).summary();
        Map<String, Double> b = new ImdbRnnLab().run(o.output(tmp.resolve("b")), QUIET).summary();
        for (String k : a.keySet()) {
            if (k.contains("accuracy")) {
                assertEquals(a.get(k), b.get(k), 0.0, k + ": same seed, same metric");
            }
        }
        JsonObject run = RunRecord.read(tmp.resolve("a/run.json"));
        JsonObject results = RunRecord.summaryOf(run);
        assertTrue(
                results.get("vocabulary_size").getAsInt() > 5_000, "a real vocabulary: " + results);
        double mean = results.get("mean_tokens").getAsDouble();
        assertTrue(mean > 150 && mean < 400, "IMDb reviews average a few hundred tokens: " + mean);
        assertTrue(
                results.get("test_unknown_rate").getAsDouble() < 0.01,
                "characters fall back to pieces, rarely to [UNK]");
    }

    @Test
    void waimaiRunsOnJiebaWordsWithMacroF1InItsOwnFolder() throws Exception {
        Path data = TestData.require(DatasetCatalog.WAIMAI).getParent();
        Path runs = tmp.resolve("runs");
        RunOptions o =
                new RunOptions()
                        .epochs(1)
                        .maxBatches(3)
                        .limit(600)
                        .seed(5)
                        .dataDir(data)
                        .quiet(true)
                        .dataset("waimai");
        Map<String, Double> a =
                new ImdbRnnLab()
                        .run(
                                o.output(
                                        runs.resolve(
                                                org.dllab.run.LabRun.folderName(
                                                        ImdbRnnLab.ID,
                                                        "waimai",
                                                        new ImdbRnnLab().datasets()))),
                                QUIET)
                        .summary();
        assertTrue(
                java.nio.file.Files.isDirectory(runs.resolve("w08-imdb-rnn-waimai")),
                "its own run folder");
        for (String kind : new String[] {"bag", "rnn", "lstm", "gru", "bilstm"}) {
            double f1 = a.get(kind + "_test_macro_f1");
            assertTrue(
                    f1 >= 0 && f1 <= 1 && a.containsKey(kind + "_best_validation_accuracy"),
                    "curves watch validation: " + a);
        }
        JsonObject run = RunRecord.read(runs.resolve("w08-imdb-rnn-waimai/run.json"));
        assertEquals(
                "waimai_10k, jieba words",
                run.getAsJsonObject("config").get("dataset").getAsString());
        assertEquals(
                600,
                run.getAsJsonObject("config").get("train_examples").getAsInt(),
                "--limit cuts the training part only");
        assertEquals(1_199, run.getAsJsonObject("config").get("validation_examples").getAsInt());
        double mean = RunRecord.summaryOf(run).get("mean_tokens").getAsDouble();
        assertTrue(mean > 10 && mean < 25, "reviews average about 16 jieba words: " + mean);
        List<String> vocab =
                java.nio.file.Files.readAllLines(
                        runs.resolve("w08-imdb-rnn-waimai/vocabulary.txt"));
        assertEquals(List.of("<pad>", "<unk>"), vocab.subList(0, 2));
        assertTrue(vocab.contains("好吃") && vocab.contains("送餐"), "real words, not characters");
    }
}
