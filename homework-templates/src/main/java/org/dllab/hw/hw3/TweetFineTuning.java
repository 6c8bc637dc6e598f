package org.dllab.hw.hw3;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.EmotionTweets;
import org.dllab.data.TextDatasets;
import org.dllab.models.BertEncoder;

/**
 * Part B: fine-tune a real pretrained encoder (all-MiniLM-L6-v2, {@link BertEncoder}) on the emotion tweets, six
 * classes — the course's own homework 3. You write the four pieces every fine-tuning run has: batches padded to their
 * longest tweet with an attention mask ({@link #pad}), the learning-rate schedule ({@link #learningRate}), the
 * per-class metrics ({@link #report}) and one training step ({@link #trainStep}). {@link #fineTune} puts them together
 * and needs no change.
 */
public final class TweetFineTuning {

    /** Tokens per tweet, [CLS] and [SEP] included: tweets average 22; 64 cuts under 1 %. */
    public static final int MAX_TOKENS = 64;

    /** The encoder's width: the head reads 384 numbers per tweet. */
    public static final int HIDDEN = 384;

    /** Six emotions. */
    public static final int CLASSES = EmotionTweets.LABELS.size();

    /** Peak learning rate: small budgets need more than BERT's usual 2e-5. */
    public static final float PEAK_LR = 1e-4f;

    /** Share of the steps spent warming up. */
    public static final double WARMUP = 0.1;

    /** Tweets per batch. */
    public static final int BATCH = 32;

    private TweetFineTuning() {}

    /**
     * A batch padded to its longest sequence.
     *
     * @param ids (B, T) int64 token ids, 0 after each sequence's end
     * @param mask (B, T) int64, 1 on real tokens, 0 on padding
     */
    public record Batch(NDArray ids, NDArray mask) {}

    /**
     * Dynamic padding: every sequence padded with 0 to the length of the longest one <b>in this batch</b> (not to a
     * fixed length), with its attention mask.
     *
     * @param m owns the arrays
     * @param sequences token ids of each tweet ([CLS] ... [SEP]), at least one
     * @return ids and mask, both (B, T) int64 with T the longest length
     */
    public static Batch pad(NDManager m, List<long[]> sequences) {
        // TODO(hw3-9): T = 最長序列的長度；ids 與 mask 都是長度 B*T 的 long[]，逐列複製 id、真實 token 的位置 mask 填 1；再用 m.create(..., new Shape(B, T)) / T = the longest sequence's length; fill two long[B*T] row by row: copy each sequence's ids, put 1 in the mask where a real token is; then m.create(..., new Shape(B, T))
        throw new UnsupportedOperationException("TODO(hw3-9): T = the longest sequence's length; fill two long[B*T] row by row: copy each sequence's ids, put 1 in the mask where a real token is; then m.create(..., new Shape(B, T))");
    }

    /**
     * Linear warm-up, then linear decay to zero (Hugging Face's {@code get_linear_schedule_with_warmup}):
     *
     * <pre>
     *   step &lt; warmup:  peak · step / warmup
     *   otherwise:      peak · max(0, (total − step) / (total − warmup))
     * </pre>
     *
     * @param step the update about to be made, from 0
     * @param warmup warm-up steps (at least 1)
     * @param total all steps (more than warmup)
     * @param peak the rate at the end of the warm-up
     * @return the rate for this step
     */
    public static float learningRate(int step, int warmup, int total, float peak) {
        return org.dllab.homework.Todo.value("hw3-10: the two lines above"); // TODO(hw3-10): 照上面兩行公式 / the two lines above
    }

    /**
     * What a classifier did, per class and overall.
     *
     * @param accuracy share predicted right
     * @param precision per class: TP / (TP + FP), 0 when the class is never predicted
     * @param recall per class: TP / (TP + FN), 0 when the class never occurs
     * @param f1 per class: 2PR / (P + R), 0 when P + R = 0
     * @param macroF1 the unweighted mean of the classes' F1 (every class counts the same, however rare)
     */
    public record Report(double accuracy, double[] precision, double[] recall, double[] f1, double macroF1) {}

    /**
     * Accuracy, per-class precision/recall/F1 and macro-F1 (as scikit-learn with {@code zero_division=0}).
     *
     * @param predicted predicted classes, 0 .. classes - 1
     * @param actual true classes, as many
     * @param classes the number of classes
     * @return the report
     */
    public static Report report(int[] predicted, int[] actual, int classes) {
        if (predicted.length != actual.length || actual.length == 0) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + actual.length + " labels");
        }
        // TODO(hw3-11): 對每一類 c 數出 TP、FP、FN，算出 precision、recall、F1（分母為 0 時為 0）；macro-F1 是各類 F1 的平均 / for each class c count TP, FP and FN and compute precision, recall and F1 (0 when a denominator is 0); macro-F1 is the mean of the classes' F1
        throw new UnsupportedOperationException("TODO(hw3-11): for each class c count TP, FP and FN and compute precision, recall and F1 (0 when a denominator is 0); macro-F1 is the mean of the classes' F1");
    }

    /**
     * The sentence vector the head reads: the mean of the encoder's last hidden state over the real tokens only.
     *
     * @param encoder the encoder
     * @param m owns the intermediates
     * @param batch ids and mask
     * @return (B, 384)
     */
    public static NDArray pooled(BertEncoder encoder, NDManager m, Batch batch) {
        NDArray types = m.zeros(batch.ids().getShape(), DataType.INT64);
        NDArray hidden = encoder.forward(m, batch.ids(), types, batch.mask());
        NDArray mask = batch.mask().toType(DataType.FLOAT32, false).expandDims(2);
        return hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}));
    }

    /**
     * One training step: logits = pooled · W + b (head = {W (384, 6), b (6)}), softmax cross-entropy against the
     * labels, gradients of every trainable weight, one optimizer update of the encoder ({@link BertEncoder#step}) and
     * of W and b.
     *
     * @param encoder the encoder, trainable
     * @param head {W, b}, both with gradients attached
     * @param batch the padded tweets
     * @param labels (B) int64 classes
     * @param optimizer the optimizer (its updates also clear the gradients)
     * @return the batch's mean loss before the update
     */
    public static float trainStep(BertEncoder encoder, NDArray[] head, Batch batch, NDArray labels, Optimizer optimizer) {
        NDManager m = batch.ids().getManager();
        // TODO(hw3-12): 在 GradientCollector 裡：pooled(...) 乘 W 加 b 得到 logits，用 Loss.softmaxCrossEntropyLoss() 算 loss 並 backward；之後 encoder.step(optimizer)，再用 optimizer.update("head.W"/"head.b", 參數, 梯度) 更新頭部 / inside a GradientCollector: pooled(...) times W plus b gives the logits; Loss.softmaxCrossEntropyLoss() gives the loss; backward; then encoder.step(optimizer) and optimizer.update("head.W" / "head.b", parameter, gradient) for the head
        throw new UnsupportedOperationException("TODO(hw3-12): inside a GradientCollector: pooled(...) times W plus b gives the logits; Loss.softmaxCrossEntropyLoss() gives the loss; backward; then encoder.step(optimizer) and optimizer.update(\"head.W\" / \"head.b\", parameter, gradient) for the head");
    }

    /**
     * Fine-tunes MiniLM on a seeded sample of the training tweets and reports on the test tweets. Needs no change.
     *
     * @param folder the emotion dataset folder
     * @param budget labelled training tweets
     * @param epochs passes over them
     * @param seed the seed (sample, head, order)
     * @param log progress, or null
     * @return the test report
     * @throws IOException when the data or the model cannot be read
     */
    public static Report fineTune(Path folder, int budget, int epochs, long seed, PrintStream log) throws IOException {
        DjlRuntime.engine((int) seed);
        List<EmotionTweets.Tweet> all = EmotionTweets.load(folder, EmotionTweets.Part.TRAIN);
        List<EmotionTweets.Tweet> train = TextDatasets.split(all, budget / (double) all.size(), seed).get(0);
        List<EmotionTweets.Tweet> test = EmotionTweets.load(folder, EmotionTweets.Part.TEST);
        List<long[]> trainIds;
        List<long[]> testIds;
        try (HuggingFaceTokenizer tok = BertEncoder.miniLmTokenizer(Map.of("truncation", "true", "maxLength", String.valueOf(MAX_TOKENS),
                "padding", "false"))) {
            trainIds = ids(tok, train);
            testIds = ids(tok, test);
        }
        int steps = epochs * ((train.size() + BATCH - 1) / BATCH);
        int warmup = Math.max(1, (int) Math.round(WARMUP * steps));
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker((ai.djl.training.tracker.Tracker) n -> learningRate(n - 1, warmup, steps, PEAK_LR))
                .optWeightDecays(0.01f).optClipGrad(1f).build(); // DJL counts updates from 1
        Random random = new Random(seed);
        try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(Device.cpu()); NDManager root = NDManager.newBaseManager()) {
            encoder.setTrainable(true);
            NDArray w = root.randomNormal(0f, 0.02f, new Shape(HIDDEN, CLASSES), DataType.FLOAT32);
            NDArray b = root.zeros(new Shape(CLASSES));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray[] head = {w, b};
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                order.add(i);
            }
            for (int epoch = 1; epoch <= epochs; epoch++) {
                Collections.shuffle(order, random);
                // similar lengths together (sorted within windows of 8 batches), so a batch pads little; batches shuffled
                List<List<Integer>> batches = new ArrayList<>();
                for (int from = 0; from < order.size(); from += 8 * BATCH) {
                    List<Integer> window = new ArrayList<>(order.subList(from, Math.min(order.size(), from + 8 * BATCH)));
                    window.sort(java.util.Comparator.comparingInt(i -> trainIds.get(i).length));
                    for (int at = 0; at < window.size(); at += BATCH) {
                        batches.add(window.subList(at, Math.min(window.size(), at + BATCH)));
                    }
                }
                Collections.shuffle(batches, random);
                double sum = 0;
                for (List<Integer> rows : batches) {
                    try (NDManager s = root.newSubManager()) {
                        Batch batch = pad(s, rows.stream().map(trainIds::get).toList());
                        NDArray labels = s.create(rows.stream().mapToLong(i -> train.get(i).label()).toArray());
                        sum += trainStep(encoder, head, batch, labels, adamW) * rows.size();
                    }
                }
                if (log != null) {
                    log.printf("epoch %d: train loss %.4f%n", epoch, sum / train.size());
                }
            }
            encoder.setTrainable(false);
            int[] predicted = new int[test.size()];
            Integer[] byLength = new Integer[test.size()];
            Arrays.setAll(byLength, i -> i);
            Arrays.sort(byLength, java.util.Comparator.comparingInt(i -> testIds.get(i).length));
            for (int from = 0; from < test.size(); from += 64) {
                try (NDManager s = root.newSubManager()) {
                    List<Integer> rows = Arrays.asList(byLength).subList(from, Math.min(test.size(), from + 64));
                    long[] p = pooled(encoder, s, pad(s, rows.stream().map(testIds::get).toList())).matMul(w).add(b).argMax(1).toLongArray();
                    for (int i = 0; i < rows.size(); i++) {
                        predicted[rows.get(i)] = (int) p[i];
                    }
                }
            }
            return report(predicted, test.stream().mapToInt(EmotionTweets.Tweet::label).toArray(), CLASSES);
        }
    }

    private static List<long[]> ids(HuggingFaceTokenizer tok, List<EmotionTweets.Tweet> tweets) {
        List<long[]> out = new ArrayList<>();
        for (Encoding e : tok.batchEncode(tweets.stream().map(EmotionTweets.Tweet::text).toList())) {
            out.add(e.getIds());
        }
        return out;
    }

    /**
     * Fine-tunes on 1,000 tweets for 4 epochs and prints the report.
     *
     * @param args [budget [epochs]]
     * @throws IOException when the data or the model cannot be read
     */
    public static void main(String[] args) throws IOException {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, true).resolve(DatasetCatalog.EMOTION, System.out);
        int budget = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Report r = fineTune(folder, budget, epochs, 42, System.out);
        System.out.printf("test accuracy %.3f, macro-F1 %.3f%n", r.accuracy(), r.macroF1());
        for (int c = 0; c < CLASSES; c++) {
            System.out.printf("  %-9s precision %.3f recall %.3f F1 %.3f%n", EmotionTweets.LABELS.get(c), r.precision()[c], r.recall()[c], r.f1()[c]);
        }
    }
}
