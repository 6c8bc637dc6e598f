package org.dllab.labs.week11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** BERT's masking: who is chosen, what they become, what is asked for. */
class MaskedTokensTest {

    @Test
    void choosesFifteenPercentOfOrdinaryRealTokensOnly() {
        int n = 20_000;
        long[] ids = new long[n];
        long[] mask = new long[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            mask[i] = i % 10 < 8 ? 1 : 0; // the last 2 of every 10 are padding
            ids[i] =
                    mask[i] == 0
                            ? 0
                            : i % 10 == 0
                                    ? 2
                                    : 5 + r.nextInt(95); // [CLS] first, then ordinary tokens
        }
        MaskedTokens m = MaskedTokens.choose(ids, mask, 5, 4, 100, new Random(7));
        int eligible = n / 10 * 7;
        assertEquals(
                0.15,
                m.positions().length / (double) eligible,
                0.01,
                "15 % of the eligible tokens");
        int masked = 0;
        int kept = 0;
        for (int k = 0; k < m.positions().length; k++) {
            int i = (int) m.positions()[k];
            assertEquals(1, mask[i], "padding is never chosen");
            assertTrue(ids[i] >= 5, "special tokens are never chosen");
            assertEquals(ids[i], m.targets()[k], "the target is the original token");
            if (m.ids()[i] == 4) {
                masked++;
            } else if (m.ids()[i] == ids[i]) {
                kept++;
            } else {
                assertTrue(
                        m.ids()[i] >= 5 && m.ids()[i] < 100,
                        "a random replacement is an ordinary token");
            }
        }
        assertEquals(0.8, masked / (double) m.positions().length, 0.03, "80 % become [MASK]");
        assertEquals(
                0.1 + 0.9 / 95 * 0.1,
                kept / (double) m.positions().length,
                0.03,
                "10 % stay (plus random draws of the same token)");
        long changed = 0;
        for (int i = 0; i < n; i++) {
            if (m.ids()[i] != ids[i]) {
                changed++;
            }
        }
        assertTrue(changed <= m.positions().length, "nothing outside the chosen positions changes");
    }

    @Test
    void sameSeedSameChoiceAndTheInputIsNotModified() {
        long[] ids = {2, 10, 11, 12, 13, 14, 3, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 0};
        long[] copy = ids.clone();
        MaskedTokens a = MaskedTokens.choose(ids, mask, 5, 4, 50, new Random(3));
        MaskedTokens b = MaskedTokens.choose(ids, mask, 5, 4, 50, new Random(3));
        assertArrayEquals(a.positions(), b.positions());
        assertArrayEquals(a.ids(), b.ids());
        assertArrayEquals(copy, ids, "the caller's ids are not changed");
        assertTrue(a.positions().length >= 1, "at least one target when any token is eligible");
    }

    @Test
    void favouredTokensAreChosenAtTheirOwnRate() {
        int n = 40_000;
        long[] ids = new long[n];
        long[] mask = new long[n];
        Random r = new Random(2);
        for (int i = 0; i < n; i++) {
            mask[i] = 1;
            ids[i] = 5 + r.nextInt(20); // ids 5 and 6 will be favoured: about a tenth of the tokens
        }
        MaskedTokens m =
                MaskedTokens.choose(
                        ids, mask, 5, 4, 100, new Random(9), java.util.Set.of(5L, 6L), 0.6);
        int favoured = 0;
        int chosenFavoured = 0;
        for (long id : ids) {
            favoured += id <= 6 ? 1 : 0;
        }
        for (long t : m.targets()) {
            chosenFavoured += t <= 6 ? 1 : 0;
        }
        int others = n - favoured;
        assertEquals(
                0.6, chosenFavoured / (double) favoured, 0.03, "favoured tokens at their rate");
        assertEquals(
                MaskedTokens.RATE,
                (m.targets().length - chosenFavoured) / (double) others,
                0.01,
                "the others at BERT's 15 %");
    }
}
