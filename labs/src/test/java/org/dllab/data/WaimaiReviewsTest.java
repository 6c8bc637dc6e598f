package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaimaiReviewsTest {

    @TempDir Path dir;

    private Path csv(String content) throws IOException {
        Files.writeString(dir.resolve(WaimaiReviews.FILE), content, StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void readsLabelsQuotedCommasAndLineNumbers() throws IOException {
        List<Review> r = WaimaiReviews.load(csv("label,review\n1,很快，好吃\n0,\"送餐慢,菜凉了\"\n1,方便\n"));
        assertEquals(3, r.size());
        assertTrue(r.get(0).positive());
        assertEquals("送餐慢,菜凉了", r.get(1).text(), "a quoted review keeps its comma");
        assertEquals(0, r.get(1).label());
        assertEquals(
                List.of(2, 3, 4),
                r.stream().map(Review::id).toList(),
                "ids are the lines of the file, header = line 1");
    }

    @Test
    void badRowsNameTheFileAndLine() throws IOException {
        DatasetFormatException label =
                assertThrows(
                        DatasetFormatException.class,
                        () -> WaimaiReviews.load(csv("label,review\n1,好\n2,坏\n")));
        assertTrue(
                label.getMessage().contains("line 3")
                        && label.getMessage().contains("'2'")
                        && label.getMessage().contains("0 or 1"),
                label.getMessage());
        DatasetFormatException header =
                assertThrows(
                        DatasetFormatException.class,
                        () -> WaimaiReviews.load(csv("text,label\n好,1\n")));
        assertTrue(header.getMessage().contains("label,review"), header.getMessage());
        assertThrows(
                DatasetFormatException.class,
                () -> WaimaiReviews.load(csv("label,review\n")),
                "no rows");
        Files.write(
                dir.resolve(WaimaiReviews.FILE),
                new byte[] {
                    'l',
                    'a',
                    'b',
                    'e',
                    'l',
                    ',',
                    'r',
                    'e',
                    'v',
                    'i',
                    'e',
                    'w',
                    '\n',
                    '1',
                    ',',
                    (byte) 0xba,
                    (byte) 0xc3,
                    '\n'
                }); // GBK bytes, not UTF-8
        DatasetFormatException gbk =
                assertThrows(DatasetFormatException.class, () -> WaimaiReviews.load(dir));
        assertTrue(gbk.getMessage().contains("not UTF-8"), gbk.getMessage());
        DatasetNotFoundException missing =
                assertThrows(
                        DatasetNotFoundException.class,
                        () -> WaimaiReviews.load(dir.resolve("nowhere")));
        assertTrue(
                missing.getMessage().contains("dllab data download waimai"), missing.getMessage());
    }

    @Test
    void realFileSplitsStratifiedAndSeeded() throws IOException {
        List<Review> all = WaimaiReviews.load(TestData.require(DatasetCatalog.WAIMAI));
        assertEquals(11_987, all.size());
        assertEquals(4_000, all.stream().filter(Review::positive).count());
        WaimaiReviews.Parts p = WaimaiReviews.split(all, 42);
        assertEquals(
                List.of(9_590, 1_199, 1_198),
                List.of(p.train().size(), p.validation().size(), p.test().size()));
        for (List<Review> part : List.of(p.train(), p.validation(), p.test())) {
            double positive = part.stream().filter(Review::positive).count() / (double) part.size();
            assertEquals(4_000 / 11_987.0, positive, 0.002, "each part keeps the 1:2 ratio");
        }
        Set<Integer> seen = new HashSet<>();
        for (List<Review> part : List.of(p.train(), p.validation(), p.test())) {
            part.forEach(r -> assertTrue(seen.add(r.id()), "line " + r.id() + " in two parts"));
        }
        assertEquals(all.size(), seen.size(), "every review in some part");
        assertEquals(p.test(), WaimaiReviews.split(all, 42).test(), "same seed, same split");
        assertNotEquals(
                p.test(), WaimaiReviews.split(all, 7).test(), "another seed, another split");
    }
}
