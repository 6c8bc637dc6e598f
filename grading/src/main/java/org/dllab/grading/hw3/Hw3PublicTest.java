package org.dllab.grading.hw3;

import static org.dllab.grading.hw3.Hw3Fixtures.mask;
import static org.dllab.grading.hw3.Hw3Fixtures.maxDifference;
import static org.dllab.grading.hw3.Hw3Fixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.grading.Points;
import org.dllab.hw.hw3.EncoderBlock;
import org.dllab.hw.hw3.Hw3;
import org.dllab.hw.hw3.Metrics;
import org.dllab.hw.hw3.MultiHeadAttention;
import org.dllab.hw.hw3.PositionalEncoding;
import org.dllab.hw.hw3.SentimentTransformer;
import org.dllab.hw.hw3.Tokenization;
import org.dllab.hw.hw3.TweetFineTuning;
import org.dllab.models.Attention;
import org.dllab.text.WordPieceVocabulary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Homework 3, public tests. Every piece is compared with a reference on seeded inputs: the
 * attention of the week-10 lab ({@code org.dllab.models.Attention}, itself checked against DJL's
 * own attention block), the formulas in the Javadoc, and a tokenizer configured by the course.
 */
public class Hw3PublicTest {

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

    @Test
    @Points(
            value = 2,
            blanks = {"hw3-7", "hw3-8"},
            feedback =
                    "Every text must become exactly maxLength ids: [CLS] first, truncated texts end with [SEP], short ones are padded with 0 and masked with 0.")
    void tokenizerTruncatesPadsAndMasks(@TempDir Path dir) throws Exception {
        List<String> corpus =
                List.of(
                        "the movie was great and the actors were great",
                        "the plot was dull",
                        "great great fun");
        WordPieceVocabulary vocabulary = WordPieceVocabulary.build(corpus, 100, 1);
        Path json =
                Files.writeString(
                        dir.resolve("tokenizer.json"), vocabulary.unlimitedTokenizerJson());
        List<String> texts =
                List.of(
                        "the movie was great and the actors were great and the plot was dull",
                        "great fun");
        Tokenization.Encoded encoded;
        try (HuggingFaceTokenizer tokenizer = Tokenization.tokenizer(json, 8)) {
            encoded = Tokenization.encode(tokenizer, texts);
        }
        assertEquals(2, encoded.ids().length, "one row per text");
        try (HuggingFaceTokenizer reference = vocabulary.tokenizer(8)) {
            for (int i = 0; i < texts.size(); i++) {
                Encoding e = reference.encode(texts.get(i));
                assertArrayEquals(e.getIds(), encoded.ids()[i], "ids of text " + i);
                assertArrayEquals(e.getAttentionMask(), encoded.mask()[i], "mask of text " + i);
            }
        }
        long cls = vocabulary.id(WordPieceVocabulary.CLS);
        long sep = vocabulary.id(WordPieceVocabulary.SEP);
        assertEquals(cls, encoded.ids()[0][0]);
        assertEquals(sep, encoded.ids()[0][7], "a truncated text still ends with [SEP]");
        assertArrayEquals(
                new long[] {1, 1, 1, 1, 0, 0, 0, 0},
                encoded.mask()[1],
                "[CLS] great fun [SEP], then padding");
        assertArrayEquals(
                new long[] {0, 0, 0, 0},
                java.util.Arrays.copyOfRange(encoded.ids()[1], 4, 8),
                "padding id 0");
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw3-3"},
            feedback =
                    "softmax(Q K^T / sqrt(d)) V, with MASKED added to the scores of padding keys before the softmax.")
    void scaledDotProductWithMask() {
        Random r = new Random(7);
        NDArray q = random(m, r, 2, 2, 5, 4);
        NDArray k = random(m, r, 2, 2, 5, 4);
        NDArray v = random(m, r, 2, 2, 5, 4);
        NDArray mask = mask(m, 5, 5, 3);
        NDList mine = MultiHeadAttention.scaledDotProduct(q, k, v, mask);
        NDList ref = Attention.scaledDotProduct(q, k, v, Attention.paddingOffset(mask));
        assertEquals(
                new Shape(2, 2, 5, 5), mine.get(1).getShape(), "attention weights (B, h, T, S)");
        assertTrue(
                maxDifference(ref.get(1), mine.get(1)) < 1e-5,
                "attention weights differ from the reference");
        assertTrue(
                maxDifference(ref.get(0), mine.get(0)) < 1e-5,
                "attended values differ from the reference");
        assertEquals(
                0f,
                mine.get(1).get("1, :, :, 3:").abs().max().getFloat(),
                1e-7,
                "padding keys get no attention");
        NDList unmasked = MultiHeadAttention.scaledDotProduct(q, k, v, null);
        assertTrue(
                maxDifference(Attention.scaledDotProduct(q, k, v, null).get(0), unmasked.get(0))
                        < 1e-5,
                "without a mask");
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw3-3", "hw3-4"},
            feedback =
                    "Project with query/key/value, split E into h heads of E/h, attend, join the heads in order, project with output.")
    void multiHeadAttentionMatchesTheReference() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2);
        mha.initialize(m, DataType.FLOAT32, new Shape(2, 5, 8), new Shape(2, 5));
        Random r = new Random(8);
        NDArray x = random(m, r, 2, 5, 8);
        NDArray mask = mask(m, 5, 5, 2);
        NDList mine = mha.forward(new ParameterStore(m, false), new NDList(x, mask), false);
        NDList ref = Hw3Fixtures.referenceAttention(mha, x, mask, 2);
        assertEquals(new Shape(2, 5, 8), mine.get(0).getShape());
        assertTrue(
                maxDifference(ref.get(0), mine.get(0)) < 1e-5,
                "output differs from the reference by " + maxDifference(ref.get(0), mine.get(0)));
        assertTrue(
                maxDifference(ref.get(1), mine.get(1)) < 1e-5,
                "attention weights differ from the reference");
        NDArray unmasked = mha.forward(new ParameterStore(m, false), new NDList(x), false).get(0);
        NDArray allReal =
                mha.forward(new ParameterStore(m, false), new NDList(x, mask(m, 5, 5, 5)), false)
                        .get(0);
        assertTrue(
                maxDifference(allReal, unmasked) < 1e-6,
                "without a mask every key is attended, as with a mask of ones");
    }

    @Test
    @Points(
            value = 1,
            blanks = {"hw3-5"},
            feedback =
                    "PE(pos, 2j) = sin(pos / 10000^(2j/E)), PE(pos, 2j+1) = cos(pos / 10000^(2j/E)).")
    void positionalEncodingFollowsTheFormula() {
        float[] table = PositionalEncoding.table(m, 50, 16).toFloatArray();
        for (int pos = 0; pos < 50; pos++) {
            for (int i = 0; i < 16; i++) {
                double angle = pos / Math.pow(10000, (i - i % 2) / 16.0);
                double expected = i % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
                assertEquals(
                        expected, table[pos * 16 + i], 1e-5, "position " + pos + ", feature " + i);
            }
        }
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw3-1", "hw3-3", "hw3-4"},
            feedback =
                    "x + Attention(LN1(x)), then x + Linear2(ReLU(Linear1(LN2(x)))); dropout only in training.")
    void encoderBlockMatchesItsFormula() {
        EncoderBlock block = new EncoderBlock(8, 2, 16, 0.5f);
        block.initialize(m, DataType.FLOAT32, new Shape(2, 5, 8), new Shape(2, 5));
        Random r = new Random(9);
        NDArray x = random(m, r, 2, 5, 8);
        NDArray mask = mask(m, 5, 4, 5);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray mine = block.forward(ps, new NDList(x, mask), false).get(0);
        NDArray ref = Hw3Fixtures.referenceBlock(block, x, mask, 2);
        assertTrue(
                maxDifference(ref, mine) < 1e-4,
                "evaluation-mode output differs from the formula by " + maxDifference(ref, mine));
        NDArray trained = block.forward(ps, new NDList(x, mask), true).get(0);
        assertTrue(
                maxDifference(ref, trained) > 1e-3,
                "with dropout 0.5, training mode must differ from evaluation mode");
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw3-2"},
            feedback = "Count TP, FP, FN, TN; a ratio whose denominator is 0 is 0.")
    void metricsOnAHandMadeExample() {
        // TP = 3, FP = 1, FN = 2, TN = 4
        Metrics mt =
                Metrics.of(
                        new int[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0},
                        new int[] {1, 1, 1, 0, 1, 1, 0, 0, 0, 0});
        assertEquals(0.7, mt.accuracy(), 1e-12, "accuracy");
        assertEquals(0.75, mt.precision(), 1e-12, "precision = 3 / 4");
        assertEquals(0.6, mt.recall(), 1e-12, "recall = 3 / 5");
        assertEquals(2 * 0.75 * 0.6 / 1.35, mt.f1(), 1e-12, "F1");
        Metrics none = Metrics.of(new int[] {0, 0}, new int[] {1, 0});
        assertEquals(0.0, none.precision(), "no positive prediction: precision 0, not NaN");
        assertEquals(0.0, none.f1(), "F1 0, not NaN");
        // TP = FP = FN = 2, TN = 0: precision = recall = F1 = 1/2
        Metrics even = Metrics.of(new int[] {1, 1, 1, 1, 0, 0}, new int[] {1, 1, 0, 0, 1, 1});
        assertEquals(0.5, even.precision(), 1e-12, "precision = TP / (TP + FP) = 2 / 4");
        assertEquals(0.5, even.recall(), 1e-12, "recall = TP / (TP + FN) = 2 / 4");
        assertEquals(0.5, even.f1(), 1e-12, "F1 = 2PR / (P + R)");
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw3-1", "hw3-3", "hw3-4", "hw3-5", "hw3-6"},
            feedback =
                    "The classifier must give (B, 2) logits that depend on the real tokens only: padding must change nothing.")
    void classifierIgnoresPadding() {
        SentimentTransformer model = new SentimentTransformer(30, 12, 16, 2, 2, 32, 0.1f);
        model.initialize(m, DataType.FLOAT32, new Shape(2, 12), new Shape(2, 12));
        ParameterStore ps = new ParameterStore(m, false);
        NDArray mask = mask(m, 12, 6, 12);
        NDArray ids =
                m.create(
                        new long[] {
                            2, 7, 8, 9, 10, 3, 0, 0, 0, 0, 0, 0, 2, 11, 12, 13, 14, 15, 16, 17, 18,
                            19, 20, 3
                        },
                        new Shape(2, 12));
        NDArray logits = model.forward(ps, new NDList(ids, mask), false).singletonOrThrow();
        assertEquals(new Shape(2, 2), logits.getShape());
        NDArray junk =
                m.create(
                        new long[] {
                            2, 7, 8, 9, 10, 3, 25, 26, 27, 28, 29, 1, 2, 11, 12, 13, 14, 15, 16, 17,
                            18, 19, 20, 3
                        },
                        new Shape(2, 12));
        NDArray again = model.forward(ps, new NDList(junk, mask), false).singletonOrThrow();
        assertTrue(maxDifference(logits, again) < 1e-5, "tokens under mask 0 changed the logits");
        NDArray changed =
                m.create(
                        new long[] {
                            2, 29, 8, 9, 10, 3, 0, 0, 0, 0, 0, 0, 2, 11, 12, 13, 14, 15, 16, 17, 18,
                            19, 20, 3
                        },
                        new Shape(2, 12));
        NDArray other = model.forward(ps, new NDList(changed, mask), false).singletonOrThrow();
        assertTrue(
                maxDifference(logits.get(0), other.get(0)) > 1e-6,
                "changing a real token must change the logits");
        NDArray attention = model.lastAttention();
        assertTrue(
                attention != null && attention.getShape().equals(new Shape(2, 2, 12, 12)),
                "lastAttention keeps the last block's weights");
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw3-1", "hw3-2", "hw3-3", "hw3-4", "hw3-5", "hw3-6"},
            feedback =
                    "Trained on an easy synthetic task (the review's label is which of two marker words it contains), the classifier must learn it.")
    void classifierLearnsAnEasyTask() throws Exception {
        Random r = new Random(11);
        int n = 480;
        int length = 16;
        long[][] ids = new long[n][length];
        long[][] masks = new long[n][length];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int real = 6 + r.nextInt(length - 6);
            ids[i][0] = 2;
            for (int t = 1; t < real - 1; t++) {
                ids[i][t] = 10 + r.nextInt(40);
            }
            ids[i][1 + r.nextInt(real - 2)] = labels[i] == 1 ? 5 : 6; // the marker word
            ids[i][real - 1] = 3;
            for (int t = 0; t < real; t++) {
                masks[i][t] = 1;
            }
        }
        int train = 400;
        Tokenization.Encoded trainSet =
                new Tokenization.Encoded(
                        java.util.Arrays.copyOf(ids, train), java.util.Arrays.copyOf(masks, train));
        Tokenization.Encoded testSet =
                new Tokenization.Encoded(
                        java.util.Arrays.copyOfRange(ids, train, n),
                        java.util.Arrays.copyOfRange(masks, train, n));
        try (Model model = Model.newInstance("hw3-easy")) {
            model.setBlock(new SentimentTransformer(50, length, 32, 2, 1, 64, 0.1f));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, length), new Shape(1, length));
                ArrayDataset ds =
                        Hw3.dataset(data, trainSet, java.util.Arrays.copyOf(labels, train), true);
                List<Double> losses = new ArrayList<>();
                for (int e = 0; e < 8; e++) {
                    losses.add(Hw3.trainEpoch(trainer, ds));
                }
                int[] predicted =
                        Hw3.predict(
                                trainer,
                                Hw3.dataset(
                                        data,
                                        testSet,
                                        java.util.Arrays.copyOfRange(labels, train, n),
                                        false));
                Metrics mt = Metrics.of(predicted, java.util.Arrays.copyOfRange(labels, train, n));
                assertTrue(
                        losses.get(0) > 0.3 && losses.get(0) < 1.0,
                        "trainEpoch returns the mean loss per batch (two classes start near ln 2 ="
                                + " 0.69): "
                                + losses);
                assertTrue(
                        losses.get(7) < losses.get(0) * 0.5,
                        "the training loss must fall: " + losses);
                assertTrue(
                        mt.accuracy() >= 0.9,
                        "accuracy on held-out examples "
                                + mt.accuracy()
                                + " (needs 0.90); losses "
                                + losses);
                assertFalse(Double.isNaN(mt.f1()));
            }
        }
    }

    // ---- Part B: fine-tuning the pretrained encoder ----

    @Test
    @Points(
            value = 2,
            blanks = {"hw3-9"},
            feedback =
                    "Pad every sequence with 0 to the longest one in the batch; the mask is 1 on real tokens.")
    void padToTheLongestInTheBatch() {
        TweetFineTuning.Batch b =
                TweetFineTuning.pad(
                        m,
                        List.of(
                                new long[] {101, 7, 8, 102},
                                new long[] {101, 9, 102},
                                new long[] {101, 102}));
        assertEquals(
                new Shape(3, 4),
                b.ids().getShape(),
                "T = the longest sequence here (4), not a fixed length");
        assertArrayEquals(
                new long[] {101, 7, 8, 102, 101, 9, 102, 0, 101, 102, 0, 0}, b.ids().toLongArray());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0}, b.mask().toLongArray());
        assertEquals(DataType.INT64, b.mask().getDataType());
        TweetFineTuning.Batch one = TweetFineTuning.pad(m, List.of(new long[] {101, 5, 102}));
        assertEquals(new Shape(1, 3), one.ids().getShape());
    }

    @Test
    @Points(
            value = 1,
            blanks = {"hw3-10"},
            feedback =
                    "Warm-up: peak * step / warmup; then peak * (total - step) / (total - warmup), never below 0.")
    void linearWarmUpThenLinearDecay() {
        assertEquals(
                0f,
                TweetFineTuning.learningRate(0, 10, 100, 1e-3f),
                1e-9f,
                "step 0 of the warm-up");
        assertEquals(
                5e-4f,
                TweetFineTuning.learningRate(5, 10, 100, 1e-3f),
                1e-9f,
                "half-way through the warm-up");
        assertEquals(1e-3f, TweetFineTuning.learningRate(10, 10, 100, 1e-3f), 1e-9f, "the peak");
        assertEquals(
                5e-4f, TweetFineTuning.learningRate(55, 10, 100, 1e-3f), 1e-9f, "half-way down");
        assertEquals(0f, TweetFineTuning.learningRate(100, 10, 100, 1e-3f), 1e-9f, "the end");
        assertEquals(
                0f,
                TweetFineTuning.learningRate(120, 10, 100, 1e-3f),
                1e-9f,
                "past the end: 0, not negative");
    }

    @Test
    @Points(
            value = 2,
            blanks = {"hw3-11"},
            feedback =
                    "Per class: TP, FP, FN; precision, recall, F1 (0 when a denominator is 0); macro-F1 = their mean.")
    void perClassMetricsAndMacroF1() {
        // scikit-learn: precision_recall_fscore_support(actual, predicted, zero_division=0) on the
        // same labels
        int[] actual = {0, 0, 0, 1, 1, 2, 2, 2, 2, 1};
        int[] predicted = {0, 1, 0, 1, 1, 2, 0, 2, 2, 2};
        TweetFineTuning.Report r = TweetFineTuning.report(predicted, actual, 4);
        assertEquals(0.7, r.accuracy(), 1e-12);
        assertArrayEquals(
                new double[] {2 / 3.0, 2 / 3.0, 0.75, 0},
                r.precision(),
                1e-12,
                "class 3 is never predicted: 0");
        assertArrayEquals(
                new double[] {2 / 3.0, 2 / 3.0, 0.75, 0},
                r.recall(),
                1e-12,
                "class 3 never occurs: 0");
        assertArrayEquals(new double[] {2 / 3.0, 2 / 3.0, 0.75, 0}, r.f1(), 1e-12);
        assertEquals(
                (2 / 3.0 + 2 / 3.0 + 0.75) / 4,
                r.macroF1(),
                1e-12,
                "the mean over all four classes");
        TweetFineTuning.Report skew =
                TweetFineTuning.report(new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 1}, 2);
        assertEquals(0.75, skew.accuracy(), 1e-12);
        assertEquals(
                (6 / 7.0) / 2,
                skew.macroF1(),
                1e-12,
                "always the majority: high accuracy, macro-F1 halved");
        // every class: TP = FP = FN = 1, so precision = recall = F1 = 1/2
        TweetFineTuning.Report even =
                TweetFineTuning.report(
                        new int[] {0, 1, 1, 2, 2, 0}, new int[] {0, 0, 1, 1, 2, 2}, 3);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, even.precision(), 1e-12, "precision");
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, even.recall(), 1e-12, "recall");
        assertEquals(0.5, even.macroF1(), 1e-12, "macro-F1");
    }

    @Test
    @Points(
            value = 3,
            blanks = {"hw3-12"},
            feedback =
                    "One step: logits = pooled * W + b, softmax cross-entropy, backward, then update the encoder and the head.")
    void trainStepLowersTheLossOfABatch() throws Exception {
        try (org.dllab.models.BertEncoder enc =
                org.dllab.models.BertEncoder.random(
                        new org.dllab.models.BertEncoder.Config(2, 384, 6, 64, 120, 32),
                        4,
                        ai.djl.Device.cpu())) {
            enc.setTrainable(true);
            NDArray w = m.randomNormal(0f, 0.02f, new Shape(384, 6), DataType.FLOAT32);
            NDArray b = m.zeros(new Shape(6));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray[] head = {w, b};
            TweetFineTuning.Batch batch =
                    new TweetFineTuning.Batch(
                            m.create(
                                    new long[] {2, 5, 9, 3, 2, 7, 3, 0, 2, 11, 12, 3},
                                    new Shape(3, 4)),
                            m.create(
                                    new long[] {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1},
                                    new Shape(3, 4)));
            NDArray labels = m.create(new long[] {1, 4, 2});
            // the first loss is the cross-entropy of the untouched model's logits
            NDArray logits = TweetFineTuning.pooled(enc, m, batch).matMul(w).add(b);
            float expected =
                    Loss.softmaxCrossEntropyLoss()
                            .evaluate(new NDList(labels), new NDList(logits))
                            .getFloat();
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            String matrix = enc.matrixNames().get(0);
            float[] encoderBefore = enc.values(matrix);
            float first = TweetFineTuning.trainStep(enc, head, batch, labels, adam);
            assertEquals(
                    expected,
                    first,
                    1e-4f,
                    "the returned loss is the batch's mean cross-entropy before the update");
            float last = first;
            for (int i = 0; i < 15; i++) {
                last = TweetFineTuning.trainStep(enc, head, batch, labels, adam);
            }
            assertTrue(
                    last < first * 0.5f,
                    "16 steps on one batch must fit it: loss " + first + " -> " + last);
            assertTrue(b.sub(0f).abs().sum().getFloat() > 0, "the head's bias is updated too");
            assertFalse(
                    java.util.Arrays.equals(encoderBefore, enc.values(matrix)),
                    "the encoder is fine-tuned too (encoder.step), not only the head: " + matrix);
        }
    }
}
