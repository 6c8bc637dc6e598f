package org.dllab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVocabularyTest {

    @TempDir Path tmp;

    private static final List<List<String>> TEXTS =
            List.of(List.of("好", "吃", "好"), List.of("慢", "好", "吃", "凉"), List.of("吃", "慢"));

    @Test
    void specialsFirstThenByFrequencyThenText() {
        TokenVocabulary v = TokenVocabulary.build(TEXTS, 2, 100);
        assertEquals(
                List.of("<pad>", "<unk>", "吃", "好", "慢"),
                List.of(v.token(0), v.token(1), v.token(2), v.token(3), v.token(4)),
                "吃 and 好 both occur 3 times: the tie goes by text; 凉 (once) is cut");
        assertEquals(5, v.size());
        assertEquals(TokenVocabulary.UNK_ID, v.id("凉"));
        assertEquals(TokenVocabulary.UNK_ID, v.id("从未见过"));
        assertEquals(
                2,
                TokenVocabulary.build(TEXTS, 1, 1).size() - 1,
                "maxTokens caps the ordinary entries");
    }

    @Test
    void encodeCutsAndNeverReturnsAnEmptySequence() throws Exception {
        TokenVocabulary v = TokenVocabulary.build(TEXTS, 2, 100);
        assertArrayEquals(new long[] {3, 2, 1}, v.encode(List.of("好", "吃", "凉", "慢"), 3));
        assertArrayEquals(
                new long[] {TokenVocabulary.UNK_ID},
                v.encode(List.of(), 8),
                "something to pool over");
        v.save(tmp.resolve("vocabulary.txt"));
        assertEquals(
                List.of("<pad>", "<unk>", "吃", "好", "慢"),
                Files.readAllLines(tmp.resolve("vocabulary.txt")));
        assertThrows(IllegalArgumentException.class, () -> TokenVocabulary.build(TEXTS, 0, 10));
    }
}
