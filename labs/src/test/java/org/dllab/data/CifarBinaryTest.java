package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dllab.testing.Fixtures;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryTest {

    @TempDir Path dir;

    private Path layout() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.write(bin.resolve("data_batch_1.bin"), Fixtures.cifarRecords(3, 9));
        Files.write(bin.resolve("data_batch_2.bin"), Fixtures.cifarRecords(0));
        Files.write(bin.resolve("test_batch.bin"), Fixtures.cifarRecords(5));
        Files.writeString(
                bin.resolve("batches.meta.txt"), String.join("\n", CifarBinary.CLASSES) + "\n\n");
        return dir;
    }

    @Test
    void readsEveryTrainBatchInOrderWithChannelPlanes() throws IOException {
        ImageSet train = CifarBinary.load(layout(), Split.TRAIN);
        assertEquals(3, train.size());
        assertArrayEquals(new byte[] {3, 9, 0}, train.labels());
        assertEquals(3, train.channels());
        // record 1 (label 9): red plane 90, green 91, blue 92
        int base = 3072;
        assertEquals(90, train.pixels()[base]);
        assertEquals(91, train.pixels()[base + 1024]);
        assertEquals(92, train.pixels()[base + 2048 + 1023]);
        assertEquals("cat", train.classNames().get(train.label(0)));
        assertEquals(1, CifarBinary.load(dir, Split.TEST).size());
    }

    @Test
    void partialRecordIsAnErrorNamingTheFile() throws IOException {
        Path f =
                Files.write(
                        dir.resolve("short.bin"),
                        Arrays.copyOf(Fixtures.cifarRecords(1, 2), 3073 + 100));
        DatasetFormatException e =
                assertThrows(
                        DatasetFormatException.class,
                        () -> CifarBinary.read(f, CifarBinary.CLASSES));
        assertTrue(e.getMessage().contains("short.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("multiple of 3073"), e.getMessage());
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertThrows(
                DatasetFormatException.class, () -> CifarBinary.read(empty, CifarBinary.CLASSES));
    }

    @Test
    void labelOutOfRangeIsAnError() throws IOException {
        Path f = Files.write(dir.resolve("bad.bin"), Fixtures.cifarRecords(1, 10));
        DatasetFormatException e =
                assertThrows(
                        DatasetFormatException.class,
                        () -> CifarBinary.read(f, CifarBinary.CLASSES));
        assertTrue(e.getMessage().contains("record #1"), e.getMessage());
    }

    @Test
    void metaFileMustListTenNames() throws IOException {
        Path meta = Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");
        assertThrows(DatasetFormatException.class, () -> CifarBinary.readMeta(meta));
        assertEquals(CifarBinary.CLASSES, CifarBinary.readMeta(dir.resolve("absent.txt")));
    }

    @Test
    void missingBatchesFolderIsNotFound() {
        assertThrows(DatasetNotFoundException.class, () -> CifarBinary.load(dir, Split.TRAIN));
    }

    @Test
    void realSubsetHasItsDocumentedCounts() throws IOException {
        Path folder = TestData.require(DatasetCatalog.CIFAR10);
        ImageSet train = CifarBinary.load(folder, Split.TRAIN);
        ImageSet test = CifarBinary.load(folder, Split.TEST);
        assertEquals(0, train.size() % 1000);
        assertTrue(train.size() >= 4000);
        List<Integer> firstTrain = List.of(6, 9, 9, 4, 1, 1, 2, 7, 8, 3);
        for (int i = 0; i < firstTrain.size(); i++) {
            assertEquals(firstTrain.get(i), train.label(i));
        }
        assertEquals(3, test.label(0));
        assertEquals(8, test.label(1));
    }
}
