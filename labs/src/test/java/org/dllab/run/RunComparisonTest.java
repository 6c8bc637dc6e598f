package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.labs.week05.MnistMlp;
import org.dllab.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-run learning-rate sweep compared: the differing option, the figures of each, the overlaid
 * curves.
 */
class RunComparisonTest {

    private static final PrintStream QUIET =
            new PrintStream(java.io.OutputStream.nullOutputStream());

    @TempDir Path tmp;

    @Test
    void aSweepShowsWhatDiffersAndTheFiguresOfEachRun() throws Exception {
        Path data = tmp.resolve("data");
        Fixtures.syntheticMnist(data.resolve("mnist"), 512, 128, 2);
        Path slow = tmp.resolve("runs/lr-1e-4");
        Path fast = tmp.resolve("runs/lr-1e-2");
        LabResult a =
                new MnistMlp()
                        .run(
                                new RunOptions()
                                        .epochs(2)
                                        .learningRate(1e-4f)
                                        .dataDir(data)
                                        .output(slow)
                                        .quiet(true),
                                QUIET);
        LabResult b =
                new MnistMlp()
                        .run(
                                new RunOptions()
                                        .epochs(2)
                                        .learningRate(1e-2f)
                                        .dataDir(data)
                                        .output(fast)
                                        .quiet(true),
                                QUIET);

        RunComparison comparison = RunComparison.of(List.of(slow, fast));
        assertEquals(
                List.of("learning_rate"),
                comparison.differingConfig(),
                "the seed, epochs and data are the same");
        String table = comparison.table();
        String[] lines = table.split("\n");
        assertTrue(lines[0].matches("run\\s+lr-1e-4\\s+lr-1e-2"), lines[0]);
        assertTrue(
                table.contains("config.learning_rate")
                        && table.contains("0.0001000")
                        && table.contains("0.01000"),
                table);
        String[] accuracies =
                table.lines()
                        .filter(l -> l.startsWith("last epoch test_accuracy"))
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+");
        assertEquals(a.last().testAccuracy(), Double.parseDouble(accuracies[3]), 1e-4, table);
        assertEquals(b.last().testAccuracy(), Double.parseDouble(accuracies[4]), 1e-4, table);
        assertTrue(
                table.lines().anyMatch(l -> l.startsWith("parameters") && l.contains("235146")),
                table);
        assertFalse(table.contains("config.seed"), "equal values are left out: " + table);

        Path png = tmp.resolve("compare.png");
        assertTrue(comparison.plot(png));
        assertTrue(Files.size(png) > 5000);
    }

    @Test
    void aFolderWithoutARunRecordIsNamed() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("not-a-run"));
        IOException e =
                assertThrows(IOException.class, () -> RunComparison.of(List.of(empty, tmp)));
        assertTrue(e.getMessage().startsWith(empty + " has no run.json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunComparison.of(List.of(empty)));
    }
}
