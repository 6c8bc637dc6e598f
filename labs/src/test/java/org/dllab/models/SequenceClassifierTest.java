package org.dllab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.models.SequenceClassifier.Examples;
import org.dllab.models.SequenceClassifier.Head;
import org.dllab.models.SequenceClassifier.Trained;
import org.dllab.models.SequenceClassifier.Training;
import org.dllab.run.ClassMetrics;
import org.junit.jupiter.api.Test;

/** Length-sorted batching, and fine-tuning that learns a task a bag of tokens decides. */
class SequenceClassifierTest {

    @Test
    void batchesCoverEveryExampleOnceAndKeepSimilarLengthsTogether() {
        Random r = new Random(1);
        List<long[]> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(new long[5 + r.nextInt(60)]);
        }
        List<int[]> eval = SequenceClassifier.batches(ids, 32, null);
        List<int[]> train = SequenceClassifier.batches(ids, 32, new Random(2));
        for (List<int[]> batches : List.of(eval, train)) {
            int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
            assertEquals(1000, all.length);
            assertEquals(999, all[999]);
            assertEquals(1000, Arrays.stream(all).distinct().count());
        }
        double spread =
                train.stream()
                        .mapToInt(
                                b ->
                                        Arrays.stream(b)
                                                        .map(i -> ids.get(i).length)
                                                        .max()
                                                        .getAsInt()
                                                - Arrays.stream(b)
                                                        .map(i -> ids.get(i).length)
                                                        .min()
                                                        .getAsInt())
                        .average()
                        .orElse(99);
        assertTrue(
                spread < 15,
                "lengths within a batch are close (random batches would spread ~55): " + spread);
    }

    /**
     * Class 1 when token 7 occurs anywhere in the sequence: learnable only by looking at the
     * tokens.
     */
    private static Examples task(int n, long seed) {
        Random r = new Random(seed);
        List<long[]> ids = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            long[] seq = new long[3 + r.nextInt(10)];
            for (int t = 0; t < seq.length; t++) {
                seq[t] = 10 + r.nextInt(50);
            }
            labels[i] = r.nextInt(2);
            if (labels[i] == 1) {
                seq[r.nextInt(seq.length)] = 7;
            }
            ids.add(seq);
        }
        return new Examples(ids, labels);
    }

    @Test
    void fineTuningLearnsWhatAFrozenRandomEncoderWithLoraAlsoLearns() {
        DjlRuntime.engine(1);
        Examples train = task(256, 1);
        Examples val = task(128, 2);
        Examples test = task(128, 3);
        BertEncoder.Config small = new BertEncoder.Config(2, 32, 4, 64, 64, 16);
        Training how = new Training(6, 16, 3e-3f, 1, 0);
        try (BertEncoder full = BertEncoder.random(small, 1, Device.cpu());
                BertEncoder adapted = BertEncoder.random(small, 1, Device.cpu());
                NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Trained ft =
                    SequenceClassifier.fineTune(
                            full,
                            true,
                            Head.create(root, 32, 2),
                            root,
                            train,
                            val,
                            test,
                            how,
                            "full",
                            null);
            adapted.addLora(4, 8f, 1, java.util.Set.of("q", "k", "v", "o", "ffn"));
            Trained lo =
                    SequenceClassifier.fineTune(
                            adapted,
                            false,
                            Head.create(root, 32, 2),
                            root,
                            train,
                            val,
                            test,
                            how,
                            "LoRA",
                            null);
            assertTrue(ft.test().accuracy() > 0.9, "full fine-tuning: " + ft.test().accuracy());
            assertTrue(lo.test().accuracy() > 0.8, "LoRA: " + lo.test().accuracy());
            assertTrue(ft.epoch() >= 1 && ft.secondsPerStep() > 0);
        }
    }

    @Test
    void metricsCountTheConfusionMatrix() {
        ClassMetrics m =
                SequenceClassifier.metrics(new int[] {0, 0, 1, 2}, new long[] {0, 1, 1, 2}, 3);
        assertEquals(0.75, m.accuracy(), 1e-12);
        assertEquals(1, m.confusion()[0][1]);
        assertEquals((2 / 3.0 + 2 / 3.0 + 1) / 3, m.macroF1(), 1e-12);
    }
}
