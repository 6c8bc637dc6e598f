package org.dllab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WordPiece tokenizer built from training text: what it keeps, how it splits, truncates, pads
 * and masks.
 */
class WordPieceVocabularyTest {

    private static final List<String> TRAIN =
            List.of(
                    TextCleaning.clean("The movie was good!<br /><br />A good, GOOD film."),
                    TextCleaning.clean("A bad movie; really bad &amp; quiz-like."),
                    TextCleaning.clean("Café scenes were good."));

    @Test
    void cleaningRemovesTagsAndEntities() {
        assertEquals(
                "One. Two & \"three\"",
                TextCleaning.clean("One.<br /><br />Two &amp; &quot;three&quot;  "));
    }

    @Test
    void keepsFrequentWordsAndEveryCharacter() {
        WordPieceVocabulary v = WordPieceVocabulary.build(TRAIN, 100, 2);
        assertEquals(0, v.id(WordPieceVocabulary.PAD));
        assertEquals(1, v.id(WordPieceVocabulary.UNK));
        assertTrue(
                v.id("good") > 4 && v.id("bad") > 4 && v.id("movie") > 4,
                "words seen twice or more are whole tokens");
        assertEquals(-1, v.id("film"), "a word seen once is not");
        assertTrue(
                v.id("f") > 0 && v.id("##f") > 0, "its characters are, as start and continuation");
        assertTrue(
                v.id("cafe") < 0 && v.id("e") > 0,
                "accents are stripped, as the tokenizer's normaliser does");
    }

    @Test
    void encodesWithSpecialTokensTruncationPaddingAndMask() throws Exception {
        WordPieceVocabulary v = WordPieceVocabulary.build(TRAIN, 100, 2);
        try (HuggingFaceTokenizer t = v.tokenizer(8);
                HuggingFaceTokenizer full = v.untruncatedTokenizer()) {
            Encoding e = t.encode("Good movie, film!");
            assertArrayEquals(
                    new String[] {"[CLS]", "good", "movie", ",", "f", "##i", "##l", "[SEP]"},
                    e.getTokens(),
                    "an unseen word falls back to pieces; the text is cut to 8 tokens with [SEP] kept");
            Encoding shortOne = t.encode("Bad.");
            assertEquals(8, shortOne.getIds().length);
            assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, shortOne.getAttentionMask());
            assertEquals(0, shortOne.getIds()[7], "padded with [PAD] = 0");
            assertEquals(
                    v.id(WordPieceVocabulary.UNK),
                    t.encode("€").getIds()[1],
                    "a character never seen is [UNK]");

            EncodedTexts enc =
                    EncodedTexts.encode(
                            t,
                            full,
                            List.of("Good movie, film!", "Bad.", "€ €"),
                            v.id(WordPieceVocabulary.UNK));
            assertEquals(3, enc.ids().size());
            assertEquals(
                    1.0 / 3, enc.truncatedFraction(), 1e-9, "one of three is longer than 8 tokens");
            assertEquals(
                    (10 + 4 + 4) / 3.0,
                    enc.meanTokens(),
                    1e-9,
                    "lengths before truncation, [CLS] and [SEP] included");
            assertEquals(
                    2.0 / (8 + 4 + 4), enc.unknownRate(), 1e-9, "two [UNK] among the real tokens");
        }
    }
}
