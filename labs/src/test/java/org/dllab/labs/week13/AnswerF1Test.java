package org.dllab.labs.week13;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Word-overlap F1, checked on answers whose score is worked out by hand. */
class AnswerF1Test {

    @Test
    void scoresOverlapByWordsIgnoringCaseAndPunctuation() {
        assertEquals(1.0, AnswerF1.of("Paris.", "paris"), 1e-12);
        assertEquals(0.0, AnswerF1.of("London", "Paris"), 1e-12);
        assertEquals(0.0, AnswerF1.of("", "Paris"), 1e-12, "an empty answer scores nothing");
        // answer: the cat sat (3 words), reference: the cat sat on the mat (6): 3 common, P = 1, R
        // = 0.5, F1 = 2/3
        assertEquals(2.0 / 3, AnswerF1.of("The cat sat", "the cat sat on the mat"), 1e-12);
        // repeated words count once per occurrence in the reference: "the the the" vs "the cat": 1
        // common, P = 1/3, R = 1/2
        assertEquals(
                2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5),
                AnswerF1.of("the the the", "the cat"),
                1e-12);
    }
}
