package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * ROC-AUC and log-loss against hand-computed values and scikit-learn 1.2.1 (Debian's
 * python3-sklearn; the calls are in the comments), the reference the course's Kaggle-style
 * competitions are scored with.
 */
class RocAucAndLogLossTest {

    @Test
    void binaryAucIsThePairwiseOrderingProbability() {
        // roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75: of the 4 positive-negative pairs, 3
        // are ordered right
        assertEquals(
                0.75,
                RocAuc.binary(
                        new double[] {0.1, 0.4, 0.35, 0.8},
                        new boolean[] {false, false, true, true}),
                1e-12);
        // ties count half: roc_auc_score([0,1,0,1,1,0],[0.5,0.5,0.2,0.9,0.2,0.7]) = 0.5556
        assertEquals(
                0.5555555555555556,
                RocAuc.binary(
                        new double[] {0.5, 0.5, 0.2, 0.9, 0.2, 0.7},
                        new boolean[] {false, true, false, true, true, false}),
                1e-12);
        assertEquals(1.0, RocAuc.binary(new double[] {0.1, 0.9}, new boolean[] {false, true}), 0);
        assertEquals(0.0, RocAuc.binary(new double[] {0.9, 0.1}, new boolean[] {false, true}), 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> RocAuc.binary(new double[] {0.1, 0.9}, new boolean[] {true, true}));
    }

    @Test
    void multiClassAndMultiLabelAverageThePerClassAucs() {
        double[][] p = {
            {0.7, 0.2, 0.1},
            {0.1, 0.6, 0.3},
            {0.2, 0.2, 0.6},
            {0.5, 0.4, 0.1},
            {0.3, 0.3, 0.4},
            {0.25, 0.5, 0.25},
            {0.1, 0.1, 0.8},
            {0.6, 0.3, 0.1}
        };
        int[] y = {0, 1, 2, 1, 2, 0, 2, 0};
        // roc_auc_score(y, P, multi_class='ovr', average='macro')
        assertEquals(0.9277777777777777, RocAuc.oneVsRest(p, y), 1e-12);
        double[][] q = {{0.9, 0.2}, {0.3, 0.7}, {0.6, 0.4}, {0.2, 0.1}, {0.4, 0.5}};
        boolean[][] t = {{true, false}, {false, true}, {true, true}, {false, false}, {true, false}};
        // roc_auc_score(Y, Q, average='macro') = (1 + 5/6) / 2
        assertEquals(0.9166666666666667, RocAuc.meanColumnwise(q, t), 1e-12);
    }

    @Test
    void logLossClipsAndRenormalisesAsKaggleDoes() {
        // -(ln 0.9 + ln 0.8) / 2 by hand
        assertEquals(
                -(Math.log(0.9) + Math.log(0.8)) / 2,
                LogLoss.of(new double[][] {{0.9, 0.1}, {0.2, 0.8}}, new int[] {0, 1}),
                1e-12);
        // log_loss(["spam","ham","ham","spam"], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]]) = 0.21616
        // (scikit-learn's docs)
        assertEquals(
                0.21616187468057912,
                LogLoss.of(
                        new double[][] {{.1, .9}, {.9, .1}, {.8, .2}, {.35, .65}},
                        new int[] {1, 0, 0, 1}),
                1e-12);
        double[][] p = {
            {0.7, 0.2, 0.1},
            {0.1, 0.6, 0.3},
            {0.2, 0.2, 0.6},
            {0.5, 0.4, 0.1},
            {0.3, 0.3, 0.4},
            {0.25, 0.5, 0.25},
            {0.1, 0.1, 0.8},
            {0.6, 0.3, 0.1}
        };
        assertEquals(0.6663963989273893, LogLoss.of(p, new int[] {0, 1, 2, 1, 2, 0, 2, 0}), 1e-12);
        // a zero for the true class costs -ln(1e-15), not infinity: log_loss(..., eps=1e-15) =
        // 17.2694
        assertEquals(
                17.269388197455342,
                LogLoss.of(new double[][] {{0, 1}, {0, 1}}, new int[] {0, 1}),
                1e-9);
        // rows not summing to 1 are rescaled: log_loss([0,1,1], [[0.2,0.9],[0.5,0.7],[0,1]],
        // eps=1e-15) = 0.74791
        assertEquals(
                0.7479148643237044,
                LogLoss.of(new double[][] {{0.2, 0.9}, {0.5, 0.7}, {0, 1}}, new int[] {0, 1, 1}),
                1e-12);
    }
}
