package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImdbReviewsTest {

    @TempDir Path dir;

    private void write(String split, String label, String name, byte[] content) throws IOException {
        Path d = Files.createDirectories(dir.resolve("aclImdb").resolve(split).resolve(label));
        Files.write(d.resolve(name), content);
    }

    private void layout() throws IOException {
        write(
                "train",
                "pos",
                "12_9.txt",
                "Great film.<br /><br />Loved it".getBytes(StandardCharsets.UTF_8));
        write("train", "pos", "3_10.txt", "Superb — 傑作".getBytes(StandardCharsets.UTF_8));
        write("train", "neg", "7_1.txt", "Dull.".getBytes(StandardCharsets.UTF_8));
        write("test", "pos", "1_8.txt", "Fine".getBytes(StandardCharsets.UTF_8));
        write("test", "neg", "2_2.txt", "Bad".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void labelsComeFromFoldersAndRatingsFromNames() throws IOException {
        layout();
        List<Review> train = ImdbReviews.load(dir, Split.TRAIN);
        assertEquals(3, train.size());
        assertFalse(train.get(0).positive());
        assertEquals(1, train.get(0).rating());
        assertEquals(3, train.get(1).id()); // positives sorted by id: 3 before 12
        assertEquals("Superb — 傑作", train.get(1).text());
        assertEquals(9, train.get(2).rating());
        assertEquals(1, train.get(2).label());
    }

    @Test
    void invalidUtf8NamesTheFile() throws IOException {
        layout();
        write("test", "neg", "5_3.txt", new byte[] {'b', 'a', (byte) 0xC3, (byte) 0x28});
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> ImdbReviews.load(dir, Split.TEST));
        assertTrue(e.getMessage().contains("5_3.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void emptyFolderAndBadNamesAreErrors() throws IOException {
        Files.createDirectories(dir.resolve("aclImdb/test/pos"));
        Files.createDirectories(dir.resolve("aclImdb/test/neg"));
        assertThrows(DatasetFormatException.class, () -> ImdbReviews.load(dir, Split.TEST));
        write("test", "neg", "review.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThrows(DatasetFormatException.class, () -> ImdbReviews.load(dir, Split.TEST));
        assertThrows(DatasetNotFoundException.class, () -> ImdbReviews.load(dir, Split.TRAIN));
    }

    @Test
    void realSubsetIsBalanced() throws IOException {
        Path folder = TestData.require(DatasetCatalog.IMDB);
        List<Review> test = ImdbReviews.load(folder, Split.TEST);
        long pos = test.stream().filter(Review::positive).count();
        assertEquals(test.size() - pos, pos);
        assertTrue(test.stream().allMatch(r -> r.positive() ? r.rating() >= 7 : r.rating() <= 4));
    }
}
