package org.dllab.grading.hw2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.grading.Points;
import org.dllab.hw.hw2.CifarData;
import org.dllab.hw.hw2.CifarRecord;
import org.dllab.hw.hw2.SimpleCnn;
import org.dllab.hw.hw2.Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Homework 2, public tests: decoding, split, normalisation, the network, the loops and the metric.
 */
public class Hw2PublicTest {

    private NDManager m;

    @BeforeEach
    void open() {
        DjlRuntime.engine(3);
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private static byte[] record(int label, int seed) {
        byte[] b = new byte[CifarRecord.BYTES];
        b[0] = (byte) label;
        Random r = new Random(seed);
        for (int i = 1; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw2-4"},
            feedback =
                    "Label = first byte; pixels = the next 3072 bytes as unsigned values / 255, in file order.")
    void decodeRecord() {
        byte[] two = new byte[2 * CifarRecord.BYTES];
        System.arraycopy(record(3, 1), 0, two, 0, CifarRecord.BYTES);
        byte[] second = record(9, 2);
        System.arraycopy(second, 0, two, CifarRecord.BYTES, CifarRecord.BYTES);
        CifarRecord r = CifarRecord.decode(two, CifarRecord.BYTES);
        assertEquals(9, r.label());
        assertEquals(3072, r.pixels().length);
        for (int i = 0; i < 3072; i++) {
            assertEquals(
                    (second[1 + i] & 0xFF) / 255f,
                    r.pixels()[i],
                    1e-7,
                    "pixel " + i + " (bytes above 127 are not negative)");
        }
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw2-1", "hw2-4"},
            feedback =
                    "The split must be seeded, disjoint and complete, with round(n * fraction) training records.")
    void splitIsSeededDisjointAndComplete() {
        List<CifarRecord> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(CifarRecord.decode(record(i % 10, i), 0));
        }
        List<List<CifarRecord>> a = CifarData.split(all, 0.8, 5);
        List<List<CifarRecord>> b = CifarData.split(all, 0.8, 5);
        assertEquals(40, a.get(0).size());
        assertEquals(10, a.get(1).size());
        assertEquals(a, b, "the same seed must give the same split");
        Set<CifarRecord> seen = new HashSet<>(a.get(0));
        seen.addAll(a.get(1));
        assertEquals(50, seen.size(), "every record exactly once");
        assertFalse(
                a.get(0).equals(all.subList(0, 40)),
                "the records must be shuffled before splitting");
        assertEquals(50, all.size(), "the input list must not change");
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw2-2", "hw2-3"},
            feedback = "Normalise each channel c with (x - MEAN[c]) / STD[c].")
    void normalizeUsesChannelStatistics() {
        NDArray x = m.full(new Shape(2, 3, 4, 4), 0.5f);
        float[] out = CifarData.normalize(x).toFloatArray();
        for (int c = 0; c < 3; c++) {
            float expected = (0.5f - CifarData.MEAN[c]) / CifarData.STD[c];
            assertEquals(expected, out[c * 16 + 5], 1e-5, "channel " + c);
            assertEquals(expected, out[48 + c * 16], 1e-5, "second image, channel " + c);
        }
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw2-5"},
            feedback =
                    "conv 32/64/128 (3x3, padding 1) + ReLU + 2x2 max-pool each, then 2048 -> 256 (ReLU, dropout 0.5) -> 10.")
    void simpleCnnHasTheCourseArchitecture() {
        Block net = SimpleCnn.build();
        net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
        long params = 0;
        for (var p : net.getParameters()) {
            params += p.getValue().getArray().size();
        }
        assertEquals(620_362, params, "896 + 18,496 + 73,856 + 524,544 + 2,570 parameters");
        NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
        ParameterStore ps = new ParameterStore(m, false);
        NDArray eval1 = net.forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray eval2 = net.forward(ps, new NDList(x), false).singletonOrThrow();
        assertEquals(new Shape(2, 10), eval1.getShape());
        assertArrayEquals(
                eval1.toFloatArray(), eval2.toFloatArray(), 0f, "no dropout in evaluation mode");
        NDArray train1 = net.forward(ps, new NDList(x), true).singletonOrThrow();
        NDArray train2 = net.forward(ps, new NDList(x), true).singletonOrThrow();
        assertFalse(
                java.util.Arrays.equals(train1.toFloatArray(), train2.toFloatArray()),
                "dropout must be active in training");
    }

    @Test
    @Points(
            value = 1,
            blanks = {"hw2-8"},
            feedback = "accuracy = the fraction of rows whose argmax equals the label.")
    void accuracyMetric() {
        NDArray logits = m.create(new float[] {1, 5, 0, 9, 2, 3, 7, 1, 1}, new Shape(3, 3));
        NDArray labels = m.create(new long[] {1, 0, 2}); // rows 1 and 2 right, row 3 wrong
        assertEquals(2.0 / 3, Training.accuracy(logits, labels), 1e-9);
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw2-2", "hw2-3", "hw2-4", "hw2-5", "hw2-6", "hw2-7", "hw2-8"},
            feedback =
                    "The training loop must lower the loss and the evaluation loop must count every example once.")
    void loopsTrainAndEvaluateOnAnEasySet() throws Exception {
        // an easy synthetic set: class k = images whose red channel is bright in horizontal band k
        Random r = new Random(4);
        List<CifarRecord> records = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            int label = i % 4;
            float[] px = new float[3072];
            for (int j = 0; j < px.length; j++) {
                px[j] = r.nextFloat() * 0.2f;
            }
            for (int y = label * 8; y < label * 8 + 8; y++) {
                for (int x = 0; x < 32; x++) {
                    px[y * 32 + x] = 0.9f;
                }
            }
            records.add(new CifarRecord(label, px));
        }
        try (Model model = Model.newInstance("t")) {
            model.setBlock(SimpleCnn.build());
            DefaultTrainingConfig cfg =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(1e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(cfg);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                ArrayDataset ds = CifarData.toDataset(data, records, 32, true);
                double first = Training.trainEpoch(trainer, ds);
                double last = first;
                for (int e = 0; e < 3; e++) {
                    last = Training.trainEpoch(trainer, ds);
                }
                assertTrue(
                        first > 0.3 && first < 3,
                        "trainEpoch must return the mean loss per batch (cross-entropy starts"
                                + " near ln 10 = 2.3 and falls within the first epoch), got "
                                + first);
                assertTrue(
                        last < first * 0.5,
                        "mean loss per epoch went from " + first + " to " + last);
                double acc =
                        Training.evaluate(trainer, CifarData.toDataset(data, records, 50, false));
                assertTrue(
                        acc > 0.9 && acc <= 1,
                        "accuracy on the easy set (a fraction of the examples) " + acc);
            }
        }
    }

    @Test
    @Points(
            value = 1,
            blanks = {"hw2-4"},
            feedback =
                    "A batch file is whole 3073-byte records, read in file order; anything else is an error naming the file.")
    void readTakesWholeRecordsInFileOrder() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("data_batch_", ".bin");
        try {
            byte[] two = new byte[2 * CifarRecord.BYTES];
            System.arraycopy(record(7, 1), 0, two, 0, CifarRecord.BYTES);
            System.arraycopy(record(2, 2), 0, two, CifarRecord.BYTES, CifarRecord.BYTES);
            java.nio.file.Files.write(file, two);
            List<CifarRecord> read = CifarData.read(file);
            assertEquals(List.of(7, 2), read.stream().map(CifarRecord::label).toList());
            assertEquals(
                    (two[CifarRecord.BYTES + 1] & 0xFF) / 255f,
                    read.get(1).pixels()[0],
                    1e-7,
                    "the second record's first pixel");
            java.nio.file.Files.write(file, java.util.Arrays.copyOf(two, CifarRecord.BYTES + 100));
            java.io.IOException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            java.io.IOException.class, () -> CifarData.read(file));
            assertTrue(
                    e.getMessage().contains(file.getFileName().toString()),
                    "the error names the file: " + e.getMessage());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    @Points(
            value = 1,
            blanks = {"hw2-2", "hw2-3", "hw2-4"},
            feedback = "toDataset keeps every record, in order when not shuffled, with its label.")
    void toDatasetKeepsEveryRecordAndLabel() throws Exception {
        List<CifarRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(CifarRecord.decode(record(3 * i + 1, 10 + i), 0));
        }
        ArrayDataset ds = CifarData.toDataset(m, records, 3, false);
        try (ai.djl.training.dataset.Batch b = ds.getData(m).iterator().next()) {
            assertArrayEquals(new long[] {1, 4, 7}, b.getLabels().singletonOrThrow().toLongArray());
            NDArray x = b.getData().singletonOrThrow();
            assertEquals(new Shape(3, 3, 32, 32), x.getShape());
            float[] expected =
                    CifarData.normalize(m.create(records.get(2).pixels(), new Shape(1, 3, 32, 32)))
                            .toFloatArray();
            assertArrayEquals(
                    expected, x.get(2).toFloatArray(), 1e-6f, "record 3's normalised pixels");
        }
    }
}
