package org.dllab.labs.week08;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.core.DjlRuntime;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Padding must not change what a network says about a text; and the lab learns an easy synthetic
 * sentiment set.
 */
class SentimentNetTest {

    @TempDir Path tmp;

    @Test
    void reversalWithinLengthKeepsPadsInPlaceAndUndoesItself() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.create(new long[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, new Shape(2, 5));
            NDArray x = m.arange(0f, 10f).reshape(2, 5, 1);
            NDArray once = x.gather(SentimentNet.reversalIndex(mask, 1), 1);
            assertArrayEquals(new float[] {2, 1, 0, 3, 4, 9, 8, 7, 6, 5}, once.toFloatArray());
            assertArrayEquals(
                    x.toFloatArray(),
                    once.gather(SentimentNet.reversalIndex(mask, 1), 1).toFloatArray());
        }
    }

    @Test
    void everyEncoderGivesTheSameLogitsWithOrWithoutPadding() {
        DjlRuntime.engine(7);
        for (SentimentNet.Kind kind : SentimentNet.Kind.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                SentimentNet net = new SentimentNet(kind, 50, 8, 6);
                net.initialize(m, DataType.FLOAT32, new Shape(1, 10), new Shape(1, 10));
                ParameterStore ps = new ParameterStore(m, false);
                long[] text = {2, 17, 5, 33, 9, 3};
                NDArray shortIds = m.create(text, new Shape(1, 6));
                NDArray shortMask = m.ones(new Shape(1, 6), DataType.INT64);
                long[] padded = java.util.Arrays.copyOf(text, 10);
                NDArray longIds = m.create(padded, new Shape(1, 10));
                NDArray longMask =
                        m.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, new Shape(1, 10));
                float[] a =
                        net.forward(ps, new NDList(shortIds, shortMask), false)
                                .head()
                                .toFloatArray();
                float[] b =
                        net.forward(ps, new NDList(longIds, longMask), false).head().toFloatArray();
                assertArrayEquals(a, b, 1e-5f, kind + ": four pads changed the logits");
                // and the mask matters: the same ids counted as real tokens give something else
                float[] c =
                        net.forward(
                                        ps,
                                        new NDList(
                                                longIds, m.ones(new Shape(1, 10), DataType.INT64)),
                                        false)
                                .head()
                                .toFloatArray();
                assertFalse(
                        java.util.Arrays.equals(a, c),
                        kind + ": pads read as tokens should change the output");
            }
        }
    }

    @Test
    void learnsAnEasySyntheticSentimentSet() throws Exception {
        Path data = tmp.resolve("data");
        org.dllab.testing.Fixtures.syntheticImdb(data, 120, 1);
        LabResult res =
                new ImdbRnnLab()
                        .run(
                                new RunOptions()
                                        .epochs(8)
                                        .learningRate(5e-3f)
                                        .dataDir(data)
                                        .output(tmp.resolve("run"))
                                        .quiet(true),
                                new PrintStream(java.io.OutputStream.nullOutputStream()));
        // one sentiment word among 20-50 fillers: the gated networks find it; the mean of the bag
        // dilutes it
        assertTrue(
                res.summary().get("bag_test_accuracy") > 0.75,
                "the baseline learns: " + res.summary());
        for (String k : new String[] {"lstm", "gru", "bilstm"}) {
            assertTrue(
                    res.summary().get(k + "_best_test_accuracy") > 0.9,
                    k + " finds the word: " + res.summary());
        }
        assertTrue(
                Files.size(tmp.resolve("run/accuracy.png")) > 1000
                        && Files.exists(tmp.resolve("run/tokenizer.json")));
        assertEquals(
                "completed",
                org.dllab.run.RunRecord.read(tmp.resolve("run/run.json"))
                        .get("status")
                        .getAsString());
    }
}
