package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void unsetValuesFallBackToTheLabDefaults() {
        RunOptions o = new RunOptions();
        assertEquals(3, o.epochsOr(3));
        assertEquals(64, o.batchSizeOr(64));
        assertEquals(1e-3f, o.learningRateOr(1e-3f));
        assertEquals(Path.of("runs", "x"), o.outputOr("x"));
        assertEquals(5, o.epochs(5).epochsOr(3));
    }

    @Test
    void badNumbersAreRejectedWithTheFlagName() {
        RunOptions o = new RunOptions();
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> o.epochs(-1))
                        .getMessage()
                        .contains("--epochs"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> o.batchSize(0))
                        .getMessage()
                        .contains("--batch-size"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> o.maxBatches(-2))
                        .getMessage()
                        .contains("--max-batches"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> o.learningRate(Float.NaN))
                        .getMessage()
                        .contains("--lr"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> o.learningRate(-0.1f))
                        .getMessage()
                        .contains("--lr"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> o.limit(0))
                        .getMessage()
                        .contains("--limit"));
    }
}
