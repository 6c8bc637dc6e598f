package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;

class ImageSetTest {

    private static ImageSet numbered(int n) {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) i);
            labels[i] = (byte) (i % 3);
        }
        return new ImageSet(pixels, labels, 1, 2, 2, List.of("a", "b", "c"));
    }

    @Test
    void splitIsDisjointCompleteAndSeeded() {
        ImageSet all = numbered(50);
        ImageSet[] parts = all.split(0.8, 7);
        assertEquals(40, parts[0].size());
        assertEquals(10, parts[1].size());
        Set<Integer> seen = new HashSet<>();
        for (ImageSet p : parts) {
            for (int i = 0; i < p.size(); i++) {
                seen.add((int) p.pixels()[i * 4]);
                assertEquals(p.pixels()[i * 4] % 3, p.label(i)); // pixels and labels stay together
            }
        }
        assertEquals(50, seen.size());
        assertArrayEquals(parts[0].pixels(), all.split(0.8, 7)[0].pixels());
        assertNotEquals(
                Arrays.toString(parts[0].labels()), Arrays.toString(all.split(0.8, 8)[0].labels()));
        assertThrows(IllegalArgumentException.class, () -> all.split(1.0, 1));
    }

    @Test
    void datasetBatchesAreScaledFloatsWithLongLabels() throws Exception {
        DjlRuntime.prepare();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (long precompute :
                    new long[] {ImageSet.PRECOMPUTE_BYTES, 0}) { // scaled up front, and per batch
                ArrayDataset ds =
                        numbered(5)
                                .toDataset(
                                        manager,
                                        2,
                                        false,
                                        new float[] {0.5f},
                                        new float[] {0.25f},
                                        precompute);
                Batch first = ds.getData(manager).iterator().next();
                try (first) {
                    assertEquals(
                            ai.djl.ndarray.types.DataType.FLOAT32,
                            first.getData().head().getDataType());
                    assertEquals(
                            new ai.djl.ndarray.types.Shape(2, 1, 2, 2),
                            first.getData().head().getShape());
                    float[] x = first.getData().head().toFloatArray();
                    assertEquals((0 / 255f - 0.5f) / 0.25f, x[0], 1e-6);
                    assertEquals((1 / 255f - 0.5f) / 0.25f, x[4], 1e-6);
                    assertArrayEquals(new long[] {0, 1}, first.getLabels().head().toLongArray());
                }
            }
        }
    }

    @Test
    void wholeArraysAreScaledLikeTheDatasetAndKeepTheLabels() {
        DjlRuntime.prepare();
        ImageSet images = numbered(3);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x = images.toArray(m, new float[] {0.5f}, new float[] {0.25f}).toFloatArray();
            assertEquals(12, x.length);
            assertEquals((2 / 255f - 0.5f) / 0.25f, x[8], 1e-6, "image 2, (x / 255 - mean) / std");
            assertArrayEquals(new long[] {0, 1, 2}, images.labelArray(m).toLongArray());
            float[] fromDataset;
            try (Batch b =
                    images.toDataset(m, 3, false, new float[] {0.5f}, new float[] {0.25f})
                            .getData(m)
                            .iterator()
                            .next()) {
                fromDataset = b.getData().head().toFloatArray();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertArrayEquals(fromDataset, x, 0f);
        }
    }
}
