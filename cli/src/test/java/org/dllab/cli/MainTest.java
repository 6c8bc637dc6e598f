package org.dllab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DatasetCatalog;
import org.dllab.testing.Fixtures;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    @TempDir Path tmp;

    /** Exit code, stdout and stderr of one command. */
    record Outcome(int code, String out, String err) {}

    static Outcome dllab(String... args) {
        DjlRuntime.prepare();
        CommandLine cl = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void versionNamesDllabAndTheEngine() {
        Outcome o = dllab("--version");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("dllab 0."), o.out());
        assertTrue(o.out().contains("DJL 0.36.0"), o.out());
    }

    @Test
    void labsListsEveryLabWithItsWeekInCourseOrder() {
        Outcome o = dllab("labs");
        assertEquals(0, o.code());
        assertTrue(
                o.out().contains("W05    w05-mnist-mlp")
                        && o.out().contains("also: dllab run mnist-mlp"),
                o.out());
        assertTrue(
                o.out().indexOf("W02    w02-gradient-descent")
                        < o.out().indexOf("W07    w07-regularization"),
                o.out());
        assertTrue(
                o.out().contains("--dataset imdb|waimai|waimai-chars"),
                "the labs that take --dataset say which: " + o.out());
    }

    @Test
    void anOptionTheLabDoesNotTakeIsAUsageErrorNamingWhatItTakes() {
        Outcome episodes =
                dllab("run", "mnist-mlp", "--episodes", "5", "-o", tmp.resolve("x").toString());
        assertEquals(2, episodes.code());
        assertTrue(
                episodes.err().contains("--episodes: w05-mnist-mlp does not use this option")
                        && episodes.err().contains("--resume"),
                episodes.err());
        Outcome gpu = dllab("run", "w15-rl", "--device", "gpu", "-o", tmp.resolve("y").toString());
        assertEquals(2, gpu.code());
        assertTrue(gpu.err().contains("runs on the CPU only"), gpu.err());
        assertFalse(
                Files.exists(tmp.resolve("x").resolve("run.json"))
                        || Files.exists(tmp.resolve("y").resolve("run.json")));
    }

    @Test
    void runsCompareTablesTwoRunFoldersAndPlotsThem() throws Exception {
        Fixtures.syntheticMnist(tmp.resolve("data/mnist"), 300, 100, 7);
        for (String lr : new String[] {"0.001", "0.01"}) {
            assertEquals(
                    0,
                    dllab(
                                    "run",
                                    "mnist-mlp",
                                    "--epochs",
                                    "2",
                                    "--lr",
                                    lr,
                                    "-q",
                                    "--data-dir",
                                    tmp.resolve("data").toString(),
                                    "-o",
                                    tmp.resolve("runs/lr-" + lr).toString())
                            .code());
        }
        Outcome o =
                dllab(
                        "runs",
                        "compare",
                        tmp.resolve("runs/lr-0.001").toString(),
                        tmp.resolve("runs/lr-0.01").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(
                o.out()
                        .lines()
                        .anyMatch(
                                l ->
                                        l.matches(
                                                "config\\.learning_rate\\s+0\\.001000\\s+0\\.01000")),
                o.out());
        assertTrue(
                o.out().contains("last epoch test_accuracy") && o.out().contains("Curves: "),
                o.out());
        assertTrue(Files.size(tmp.resolve("runs/compare.png")) > 5000);
        assertEquals(
                2,
                dllab("runs", "compare", tmp.resolve("runs/lr-0.01").toString()).code(),
                "one folder is not a comparison");
        Outcome missing =
                dllab(
                        "runs",
                        "compare",
                        tmp.resolve("runs").toString(),
                        tmp.resolve("runs/lr-0.01").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("has no run.json"), missing.err());
    }

    @Test
    void unknownLabAndBadNumbersAreOneLineUsageErrors() {
        Outcome unknown = dllab("run", "mnist-cnn");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown lab 'mnist-cnn'; known labs: "), unknown.err());
        assertTrue(
                unknown.err().contains("mnist-mlp") && unknown.err().contains("w06-cifar10-cnn"),
                unknown.err());
        assertFalse(unknown.err().contains("\tat "), "no stack trace without --verbose");
        for (String[] bad :
                new String[][] {
                    {"--epochs", "-1"},
                    {"--batch-size", "0"},
                    {"--max-batches", "-3"},
                    {"--lr", "0"}
                }) {
            Outcome o = dllab("run", "mnist-mlp", bad[0], bad[1]);
            assertEquals(2, o.code(), String.join(" ", bad));
            assertTrue(o.err().contains(bad[0]), o.err());
        }
        Outcome notANumber = dllab("run", "mnist-mlp", "--epochs", "three");
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("--epochs"), notANumber.err());
        assertTrue(
                notANumber.err().lines().count() <= 3,
                "one line and a hint, not the usage text: " + notANumber.err());
        Outcome typo = dllab("run", "mnist-mlp", "--epoch", "3");
        assertEquals(2, typo.code());
        assertTrue(
                typo.err().contains("--epochs") && typo.err().lines().count() <= 5,
                "suggests the option meant: " + typo.err());
        Outcome dataset = dllab("run", "w08-imdb-rnn", "--dataset", "yelp");
        assertEquals(2, dataset.code());
        assertTrue(
                dataset.err()
                        .contains("--dataset yelp: w08-imdb-rnn takes imdb, waimai, waimai-chars"),
                dataset.err());
        Outcome noDatasets = dllab("run", "mnist-mlp", "--dataset", "waimai");
        assertEquals(2, noDatasets.code());
        assertTrue(
                noDatasets.err().contains("--dataset: w05-mnist-mlp does not use this option"),
                noDatasets.err());
        Outcome jobs = dllab("grade", "hw1", "x", "--jobs", "0");
        assertEquals(2, jobs.code());
        assertTrue(jobs.err().contains("--jobs"), jobs.err());
    }

    @Test
    void missingDataOfflineSaysWhereItLookedWithoutAStackTrace() {
        // hide the real data (DLLAB_DATA) and the user cache from this test
        System.setProperty("DLLAB_DATA", "");
        System.setProperty("DLLAB_CACHE", tmp.resolve("cache").toString());
        try {
            missingData();
        } finally {
            System.clearProperty("DLLAB_DATA");
            System.clearProperty("DLLAB_CACHE");
        }
    }

    private void missingData() {
        Outcome o =
                dllab(
                        "run",
                        "mnist-mlp",
                        "--offline",
                        "--data-dir",
                        tmp.toString(),
                        "-o",
                        tmp.resolve("run").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("Dataset 'mnist'"), o.err());
        assertTrue(o.err().contains(tmp.toString()), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        Outcome verbose =
                dllab(
                        "run",
                        "mnist-mlp",
                        "--offline",
                        "--verbose",
                        "--data-dir",
                        tmp.toString(),
                        "-o",
                        tmp.resolve("run").toString());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the trace");
    }

    @Test
    void unwritableOutputFailsBeforeTraining() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Outcome o = dllab("run", "mnist-mlp", "-o", file.resolve("sub").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("cannot write the run folder"), o.err());
    }

    @Test
    void runTrainsOnDataGivenByDataDirAndWritesTheRunFolder() throws Exception {
        Fixtures.syntheticMnist(tmp.resolve("data/mnist"), 500, 200, 5);
        Path out = tmp.resolve("run");
        int threadsBefore = org.dllab.core.CpuThreads.current();
        Outcome o =
                dllab(
                        "run",
                        "mnist-mlp",
                        "--epochs",
                        "1",
                        "--max-batches",
                        "5",
                        "-q",
                        "--data-dir",
                        tmp.resolve("data").toString(),
                        "-o",
                        out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.exists(out.resolve("run.json")));
        assertTrue(Files.exists(out.resolve("curves.png")));
        // a lab of small operations runs on one intra-op thread (unless the user chose), and the
        // count comes back after
        if (!org.dllab.core.CpuThreads.chosenByUser()) {
            assertTrue(
                    Files.readString(out.resolve("run.json")).contains("\"intra_op_threads\": 1"),
                    Files.readString(out.resolve("run.json")));
            assertEquals(threadsBefore, org.dllab.core.CpuThreads.current());
        }
    }

    @Test
    void dataVerifyChecksTheRealFilesAndFailsOnBrokenOnes() throws Exception {
        TestData.require(DatasetCatalog.MNIST);
        Outcome ok = dllab("data", "verify", "mnist");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("matches the official checksum"), ok.out());

        Path broken = tmp.resolve("broken/mnist");
        Fixtures.syntheticMnist(broken, 10, 10, 1);
        Files.write(
                broken.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2});
        Outcome bad =
                dllab("data", "--data-dir", tmp.resolve("broken").toString(), "verify", "mnist");
        assertEquals(1, bad.code(), bad.out());
        assertTrue(
                bad.out().contains("FAIL") && bad.out().contains("t10k-labels-idx1-ubyte.gz"),
                bad.out());
    }

    @Test
    void dataListAndCompletionScript() {
        Outcome list = dllab("data", "list");
        assertEquals(0, list.code());
        assertTrue(list.out().contains("gpt2-bpe"), list.out());
        Outcome completion = dllab("generate-completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("complete -F"), "a bash/zsh completion script");
        assertTrue(completion.out().contains("mnist-mlp"), "lab names complete");
    }
}
