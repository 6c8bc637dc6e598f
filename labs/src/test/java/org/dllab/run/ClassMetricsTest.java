package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The figures scikit-learn's accuracy_score and f1_score(average=None / "macro") give for the same
 * predictions.
 */
class ClassMetricsTest {

    @Test
    void matchesScikitLearnOnAHandCase() {
        // y_true = [0,0,0,0,1,1], y_pred = [0,0,1,0,1,0]: F1 = [0.75, 0.5], macro 0.625, accuracy
        // 4/6
        ClassMetrics m = ClassMetrics.of(new int[][] {{3, 1}, {1, 1}});
        assertEquals(4 / 6.0, m.accuracy(), 1e-12);
        assertArrayEquals(new double[] {0.75, 0.5}, m.f1(), 1e-12);
        assertEquals(0.625, m.macroF1(), 1e-12);
        assertArrayEquals(
                new double[] {0.75, 0.5}, m.precision(), 1e-12); // precision_score(average=None)
        assertArrayEquals(new double[] {0.75, 0.5}, m.recall(), 1e-12);
        ClassMetrics skewed = ClassMetrics.of(new int[][] {{3, 1}, {0, 2}});
        assertArrayEquals(new double[] {1.0, 2 / 3.0}, skewed.precision(), 1e-12);
        assertArrayEquals(new double[] {0.75, 1.0}, skewed.recall(), 1e-12);
    }

    @Test
    void majorityClassGuesserScoresItsShareButLowMacroF1() {
        ClassMetrics m =
                ClassMetrics.of(new int[][] {{2, 0}, {1, 0}}); // waimai's 2:1, always "negative"
        assertEquals(2 / 3.0, m.accuracy(), 1e-12);
        assertEquals(0.4, m.macroF1(), 1e-12);
        ClassMetrics three =
                ClassMetrics.of(
                        new int[][] {
                            {1, 0, 0}, {0, 1, 1}, {0, 0, 0}
                        }); // class 2 absent, once predicted
        assertArrayEquals(new double[] {1, 2 / 3.0, 0}, three.f1(), 1e-12);
        assertThrows(
                IllegalArgumentException.class, () -> ClassMetrics.of(new int[][] {{1, 2}, {3}}));
    }
}
