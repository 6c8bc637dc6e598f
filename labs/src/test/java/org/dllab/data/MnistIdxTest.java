package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dllab.testing.Fixtures;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxTest {

    @TempDir Path dir;

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, 6, 7, (byte) 255, 9, 10, 11};

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        Path rawImages =
                Files.write(
                        dir.resolve("a-images-idx3-ubyte"), Fixtures.idxImages(3, 2, 2, PIXELS));
        Path rawLabels =
                Files.write(
                        dir.resolve("a-labels-idx1-ubyte"),
                        Fixtures.idxLabels(new byte[] {7, 0, 9}));
        Path gzImages =
                Files.write(
                        dir.resolve("b-images.gz"),
                        Fixtures.gzip(Fixtures.idxImages(3, 2, 2, PIXELS)));
        Path gzLabels =
                Files.write(
                        dir.resolve("b-labels.gz"),
                        Fixtures.gzip(Fixtures.idxLabels(new byte[] {7, 0, 9})));
        for (ImageSet set :
                new ImageSet[] {
                    MnistIdx.read(rawImages, rawLabels), MnistIdx.read(gzImages, gzLabels)
                }) {
            assertEquals(3, set.size());
            assertEquals(2, set.height());
            assertEquals(2, set.width());
            assertArrayEquals(PIXELS, set.pixels());
            assertEquals(7, set.label(0));
            assertEquals(9, set.label(2));
        }
    }

    @Test
    void wrongMagicNamesTheFileAndTheExpectedMagic() throws IOException {
        Path labelsAsImages =
                Files.write(dir.resolve("x-images"), Fixtures.idxLabels(new byte[] {1, 2}));
        DatasetFormatException e =
                assertThrows(
                        DatasetFormatException.class,
                        () -> MnistIdx.readImages(labelsAsImages, new int[2]));
        assertTrue(e.getMessage().contains("x-images"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("this is a label file"), e.getMessage());
    }

    @Test
    void truncatedPixelDataIsAnErrorNotAPartialDataset() throws IOException {
        byte[] full = Fixtures.idxImages(3, 2, 2, PIXELS);
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 5));
        DatasetFormatException e =
                assertThrows(
                        DatasetFormatException.class, () -> MnistIdx.readImages(cut, new int[2]));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path cutGz = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(Fixtures.gzip(full), 20));
        assertThrows(DatasetFormatException.class, () -> MnistIdx.readImages(cutGz, new int[2]));
        Path header = Files.write(dir.resolve("header"), Arrays.copyOf(full, 7));
        assertThrows(DatasetFormatException.class, () -> MnistIdx.readImages(header, new int[2]));
    }

    @Test
    void corruptGzipAndTrailingBytesAreErrors() throws IOException {
        byte[] gz = Fixtures.gzip(Fixtures.idxImages(3, 2, 2, PIXELS));
        gz[gz.length / 2] ^= 0x5A;
        Path corrupt = Files.write(dir.resolve("corrupt.gz"), gz);
        assertThrows(DatasetFormatException.class, () -> MnistIdx.readImages(corrupt, new int[2]));
        byte[] extra = Arrays.copyOf(Fixtures.idxImages(3, 2, 2, PIXELS), 16 + 12 + 4);
        Path trailing = Files.write(dir.resolve("trailing"), extra);
        DatasetFormatException e =
                assertThrows(
                        DatasetFormatException.class,
                        () -> MnistIdx.readImages(trailing, new int[2]));
        assertTrue(e.getMessage().contains("after the last record"), e.getMessage());
    }

    @Test
    void absurdHeaderAndOutOfRangeLabelsAreRejected() throws IOException {
        Path huge =
                Files.write(
                        dir.resolve("huge"),
                        Fixtures.idxImages(Integer.MAX_VALUE, 28, 28, new byte[0]));
        assertThrows(DatasetFormatException.class, () -> MnistIdx.readImages(huge, new int[2]));
        Path badLabel =
                Files.write(dir.resolve("bad-labels"), Fixtures.idxLabels(new byte[] {1, 12}));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> MnistIdx.readLabels(badLabel));
        assertTrue(e.getMessage().contains("label #1 is 12"), e.getMessage());
    }

    @Test
    void countMismatchBetweenImagesAndLabelsIsAnError() throws IOException {
        Path images = Files.write(dir.resolve("i"), Fixtures.idxImages(3, 2, 2, PIXELS));
        Path labels = Files.write(dir.resolve("l"), Fixtures.idxLabels(new byte[] {1, 2}));
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> MnistIdx.read(images, labels));
        assertTrue(e.getMessage().contains("2 labels but i holds 3 images"), e.getMessage());
    }

    @Test
    void missingFileIsNotFound() {
        assertThrows(
                DatasetNotFoundException.class, () -> MnistIdx.readLabels(dir.resolve("nothing")));
    }

    @Test
    void realMnistHasTheOfficialCountsAndFirstLabels() throws IOException {
        Path folder = TestData.require(DatasetCatalog.MNIST);
        ImageSet train = MnistIdx.load(folder, Split.TRAIN);
        ImageSet test = MnistIdx.load(folder, Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertArrayEquals(
                new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                train.classCounts());
        int[] first = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], test.label(i));
        }
    }
}
