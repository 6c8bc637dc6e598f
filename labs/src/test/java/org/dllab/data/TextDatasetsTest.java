package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.Test;

class TextDatasetsTest {

    @Test
    void classificationPadsTruncatesAndMasks() throws Exception {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset ds =
                    TextDatasets.classification(
                            m,
                            List.of(new long[] {5, 6, 7, 8, 9}, new long[] {3}),
                            new int[] {1, 0},
                            3,
                            0,
                            2,
                            false);
            try (Batch b = ds.getData(m).iterator().next()) {
                assertArrayEquals(new long[] {5, 6, 7, 3, 0, 0}, b.getData().get(0).toLongArray());
                assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0}, b.getData().get(1).toLongArray());
                assertArrayEquals(new long[] {1, 0}, b.getLabels().head().toLongArray());
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            TextDatasets.classification(
                                    m, List.of(new long[] {1}), new int[] {1, 0}, 3, 0, 2, false));
        }
    }

    @Test
    void languageModelLabelsAreInputsShiftedByOne() throws Exception {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            long[] tokens = IntStream.range(0, 10).mapToLong(i -> i).toArray();
            ArrayDataset ds = TextDatasets.languageModel(m, tokens, 4, 8, false);
            assertEquals(2, ds.size()); // 9 usable shifts / 4 = 2 windows
            try (Batch b = ds.getData(m).iterator().next()) {
                assertArrayEquals(
                        new long[] {0, 1, 2, 3, 4, 5, 6, 7}, b.getData().head().toLongArray());
                assertArrayEquals(
                        new long[] {1, 2, 3, 4, 5, 6, 7, 8}, b.getLabels().head().toLongArray());
            }
        }
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        List<List<Integer>> parts = TextDatasets.split(items, 0.9, 3);
        assertEquals(90, parts.get(0).size());
        HashSet<Integer> all = new HashSet<>(parts.get(0));
        all.addAll(parts.get(1));
        assertEquals(100, all.size());
        assertEquals(parts, TextDatasets.split(items, 0.9, 3));
    }
}
