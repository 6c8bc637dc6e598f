package org.dllab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A lab of small operations gets one intra-op thread for its run, and the count before comes back
 * afterwards.
 */
class CpuThreadsTest {

    @Test
    void oneThreadInsideTheScopeAndTheFormerCountAfter() {
        Assumptions.assumeFalse(
                CpuThreads.chosenByUser(), "the user chose a thread count: it is left alone");
        int before = CpuThreads.current();
        try (CpuThreads threads = CpuThreads.forSmallOperations(Device.cpu())) {
            assertEquals(1, CpuThreads.current());
        }
        assertEquals(before, CpuThreads.current());
    }
}
