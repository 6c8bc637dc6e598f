package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The final project's validation report and submission, on a case worked out by hand. */
class ClassificationReportTest {

    @Test
    void reportAndSubmissionOfAWorkedExample() {
        double[][] p = {{0.7, 0.2, 0.1}, {0.1, 0.6, 0.3}, {0.2, 0.2, 0.6}, {0.5, 0.4, 0.1}, {0.3, 0.3, 0.4}, {0.25, 0.5, 0.25}, {0.1, 0.1, 0.8},
            {0.6, 0.3, 0.1}};
        int[] y = {0, 1, 2, 1, 2, 0, 2, 0};
        String r = ClassificationReport.of(List.of("a", "b", "c"), y, p, 2, i -> "x" + i, i -> "");
        // predictions 0,1,2,0,2,1,2,0: 6 of 8 right; F1 a = 4/6, b = 1/2, c = 1; log-loss and AUC as in RocAucAndLogLossTest
        assertTrue(r.startsWith("validation: accuracy 0.7500, macro-F1 0.7222, log-loss 0.6664, ROC-AUC (one vs rest) 0.9278\n"), r);
        assertTrue(r.contains("  a            [2, 1, 0]\n") && r.contains("  b            [1, 1, 0]\n") && r.contains("  c            [0, 0, 3]\n"), r);
        // the two mistakes, most confident first: x3 (b predicted a, 0.50) and x5 (a predicted b, 0.50): ties keep order
        assertTrue(r.endsWith("most confident mistakes:\n  x3: b, predicted a (p 0.50)\n  x5: a, predicted b (p 0.50)\n"), r);
        assertEquals("id,a,b\nt1,0.250000,0.750000\n", ClassificationReport.submission(List.of("a", "b"), List.of("t1"), new double[][] {{0.25, 0.75}}));
    }
}
