package org.dllab.labs.week11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mining sentiment words by their mutual information with seed words, on texts made so that the
 * answer is known.
 */
class SentimentWordsTest {

    @Test
    void wordsThatKeepCompanyWithPositiveSeedsArePositiveAndViceVersa() {
        // ids: 10 positive seed, 11 negative seed, 20 appears with the positive seed, 21 with the
        // negative one,
        // 30..49 neutral filler everywhere, 0 padding, 2 a special token
        Random r = new Random(4);
        int texts = 400;
        long[][] ids = new long[texts][12];
        long[][] mask = new long[texts][12];
        for (int i = 0; i < texts; i++) {
            boolean positive = i % 2 == 0;
            ids[i][0] = 2;
            ids[i][1] = positive ? 10 : 11;
            ids[i][2] =
                    r.nextDouble() < 0.8
                            ? (positive ? 20 : 21)
                            : (positive ? 21 : 20); // mostly, not always
            for (int t = 3; t < 10; t++) {
                ids[i][t] = 30 + r.nextInt(20);
            }
            for (int t = 0; t < 10; t++) {
                mask[i][t] = 1;
            }
        }
        SentimentWords w =
                SentimentWords.mine(
                        ids, mask, 5, new long[] {10}, new long[] {11}, id -> true, 10, 1);
        assertEquals(1, w.polarity().get(20L), "keeps company with the positive seed");
        assertEquals(-1, w.polarity().get(21L), "keeps company with the negative seed");
        assertEquals(1, w.polarity().get(10L), "seeds keep their polarity");
        assertEquals(-1, w.polarity().get(11L));
        assertTrue(w.orientation().get(20L) > 0 && w.orientation().get(21L) < 0);
        for (long filler = 30; filler < 50; filler++) {
            assertFalse(
                    w.polarity().containsKey(filler),
                    "filler is neither (one word kept at each end)");
        }
        assertFalse(w.polarity().containsKey(0L), "padding is never a word");
        assertFalse(w.polarity().containsKey(2L), "nor a special token");
        SentimentWords only21 =
                SentimentWords.mine(
                        ids, mask, 5, new long[] {10}, new long[] {11}, id -> id != 20, 10, 1);
        assertFalse(
                only21.polarity().containsKey(20L), "a word that is not a candidate is not mined");
        assertEquals(-1, only21.polarity().get(21L));
    }
}
