package org.dllab.models;

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
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dllab.run.ClassMetrics;
import org.dllab.run.MemoryProbe;
import org.dllab.run.TrainingInterrupt;

/**
 * A {@link BertEncoder} with a softmax head on its mean-pooled last hidden state: what weeks 11 and
 * 13 fine-tune, probe, adapt with LoRA and quantise. Batches hold tweets of similar length padded
 * to their longest, with a mask (dynamic padding: the emotion tweets average 22 tokens, so fixed
 * 64-token batches would be two-thirds padding).
 */
public final class SequenceClassifier {

    private SequenceClassifier() {}

    /**
     * Token ids and their classes.
     *
     * @param ids one array per example, [CLS] ... [SEP], no padding
     * @param labels classes, 0 .. k-1
     */
    public record Examples(List<long[]> ids, int[] labels) {

        /**
         * Tokenises texts (the tokenizer decides truncation; it must not pad).
         *
         * @param tokenizer e.g. {@link BertEncoder#miniLmTokenizer}
         * @param texts the texts
         * @param labels their classes
         * @return the examples
         */
        public static Examples encode(
                HuggingFaceTokenizer tokenizer, List<String> texts, int[] labels) {
            List<long[]> ids = new ArrayList<>(texts.size());
            for (Encoding e : tokenizer.batchEncode(texts)) {
                ids.add(e.getIds());
            }
            return new Examples(ids, labels);
        }

        /**
         * The first examples (smoke runs).
         *
         * @param n how many
         * @return the first n, or all when there are fewer
         */
        public Examples first(int n) {
            int k = Math.min(n, labels.length);
            return new Examples(ids.subList(0, k), Arrays.copyOf(labels, k));
        }

        /**
         * The mean length in tokens.
         *
         * @return tokens per example
         */
        public double meanLength() {
            return ids.stream().mapToInt(a -> a.length).average().orElse(0);
        }
    }

    /**
     * The softmax layer: logits = pooled · w + b.
     *
     * @param w (hidden, classes)
     * @param b (classes)
     */
    public record Head(NDArray w, NDArray b) {

        /**
         * A fresh head, w drawn from N(0, 0.02²) by the engine's seeded generator, b zero, both
         * collecting gradients.
         *
         * @param m owns it
         * @param hidden the encoder's width
         * @param classes the number of classes
         * @return the head
         */
        public static Head create(NDManager m, int hidden, int classes) {
            NDArray w = m.randomNormal(0f, 0.02f, new Shape(hidden, classes), DataType.FLOAT32);
            NDArray b = m.zeros(new Shape(classes));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            return new Head(w, b);
        }

        /**
         * The logits.
         *
         * @param pooled (B, hidden)
         * @return (B, classes)
         */
        public NDArray logits(NDArray pooled) {
            return pooled.matMul(w).add(b);
        }

        /**
         * The parameter count.
         *
         * @return hidden · classes + classes
         */
        public long parameters() {
            return w.getShape().size() + b.getShape().size();
        }

        /**
         * Softmax of the logits, one row per example (no gradient is recorded outside a collector).
         *
         * @param pooled (B, hidden)
         * @return {@code [example][class]}
         */
        public double[][] probabilities(NDArray pooled) {
            try (NDArray logits = logits(pooled)) {
                return org.dllab.run.ClassificationReport.softmaxRows(logits);
            }
        }

        void step(Optimizer optimizer) {
            NDArray[] both = {w, b};
            for (int i = 0; i < both.length; i++) {
                try (NDArray g = both[i].getGradient()) {
                    optimizer.update("head." + i, both[i], g);
                }
            }
        }
    }

    /**
     * How to train.
     *
     * @param epochs passes over the training examples
     * @param batch examples per step
     * @param learningRate AdamW's rate (weight decay 0.01, gradients clipped at 1)
     * @param seed the order of the examples
     * @param maxBatches stop each epoch after this many steps (0: never), for smoke runs
     */
    public record Training(int epochs, int batch, float learningRate, long seed, long maxBatches) {}

    /**
     * What a training run gave: the test figures at the best validation epoch.
     *
     * @param test the test metrics at that epoch
     * @param epoch that epoch, from 1
     * @param validation its validation accuracy
     * @param secondsPerStep mean wall time of one training step (forward, backward, update)
     */
    public record Trained(ClassMetrics test, int epoch, double validation, double secondsPerStep) {}

    /**
     * Trains the head and whatever of the encoder collects gradients: every weight ({@code
     * everyWeight}), or only the LoRA adapters added before. The encoder is left frozen afterwards;
     * the head keeps its last-epoch weights.
     *
     * @param encoder the encoder
     * @param everyWeight true for full fine-tuning
     * @param head the head, trained in place
     * @param root owns the intermediates (sub-managers per step)
     * @param train training examples
     * @param validation picks the epoch whose test figures are reported
     * @param test test examples
     * @param how the settings
     * @param name names the run in the log
     * @param log progress, or null
     * @return the figures
     */
    public static Trained fineTune(
            BertEncoder encoder,
            boolean everyWeight,
            Head head,
            NDManager root,
            Examples train,
            Examples validation,
            Examples test,
            Training how,
            String name,
            PrintStream log) {
        encoder.setTrainable(everyWeight);
        Random random = new Random(how.seed());
        Optimizer adamW =
                Optimizer.adamW()
                        .optLearningRateTracker(Tracker.fixed(how.learningRate()))
                        .optWeightDecays(0.01f)
                        .optClipGrad(1f)
                        .build();
        int classes = (int) head.b().getShape().get(0);
        double bestValidation = -1;
        ClassMetrics bestTest = null;
        int bestEpoch = 0;
        long steps = 0;
        double stepSeconds = 0;
        for (int epoch = 1; epoch <= how.epochs(); epoch++) {
            double lossSum = 0;
            int n = 0;
            long inEpoch = 0;
            for (int[] rows : batches(train.ids(), how.batch(), random)) {
                long t0 = System.nanoTime();
                lossSum += step(encoder, head, root, train, rows, adamW) * rows.length;
                n += rows.length;
                TrainingInterrupt.check(); // a signal stops the run here, between steps
                stepSeconds += (System.nanoTime() - t0) / 1e9;
                steps++;
                if (how.maxBatches() > 0 && ++inEpoch >= how.maxBatches()) {
                    break;
                }
            }
            ClassMetrics v = evaluate(encoder, head, root, validation, how.batch(), classes);
            if (log != null) {
                log.printf(
                        Locale.ROOT,
                        "%s, epoch %d: train loss %.4f | validation accuracy %.4f, macro-F1 %.4f | %.2f s/step, RSS %.0f MB%n",
                        name,
                        epoch,
                        lossSum / Math.max(1, n),
                        v.accuracy(),
                        v.macroF1(),
                        stepSeconds / steps,
                        MemoryProbe.residentMegabytes());
            }
            if (v.accuracy() > bestValidation) {
                bestValidation = v.accuracy();
                bestEpoch = epoch;
                bestTest = evaluate(encoder, head, root, test, how.batch(), classes);
            }
        }
        encoder.setTrainable(false);
        return new Trained(bestTest, bestEpoch, bestValidation, stepSeconds / Math.max(1, steps));
    }

    /**
     * One fine-tuning step: forward, mean pooling, head, softmax cross-entropy, backward, then one
     * optimizer update of the encoder's trainable weights and of the head.
     *
     * @param encoder the encoder
     * @param head the head
     * @param root owns the step's intermediates (a sub-manager, closed before the updates)
     * @param data the examples
     * @param rows which examples make the batch
     * @param optimizer e.g. AdamW
     * @return the batch's mean loss before the update
     */
    public static float step(
            BertEncoder encoder,
            Head head,
            NDManager root,
            Examples data,
            int[] rows,
            Optimizer optimizer) {
        float loss;
        try (NDManager s = root.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray[] b = arrays(s, data, rows);
            NDArray logits = head.logits(pooled(encoder, s, b));
            NDArray l =
                    Loss.softmaxCrossEntropyLoss().evaluate(new NDList(b[3]), new NDList(logits));
            gc.backward(l);
            loss = l.getFloat();
        }
        encoder.step(optimizer);
        head.step(optimizer);
        return loss;
    }

    /**
     * A linear probe: the encoder frozen, its pooled states computed once, the head trained on them
     * full-batch with Adam.
     *
     * @param encoder the encoder (left frozen)
     * @param head the head, trained in place
     * @param root owns the intermediates
     * @param train training examples
     * @param batch examples per forward pass
     * @param steps full-batch Adam steps
     * @param learningRate Adam's rate
     */
    public static void linearProbe(
            BertEncoder encoder,
            Head head,
            NDManager root,
            Examples train,
            int batch,
            int steps,
            float learningRate) {
        encoder.setTrainable(false);
        try (NDManager m = root.newSubManager()) {
            linearProbe(
                    head,
                    features(encoder, m, train, batch),
                    train.labels(),
                    steps,
                    learningRate,
                    (step, loss) -> {});
        }
    }

    /** Watches a linear probe train. */
    @FunctionalInterface
    public interface ProbeListener {
        /**
         * Called after each step.
         *
         * @param step 1-based
         * @param trainLoss the cross-entropy on the training features before that step's update
         */
        void afterStep(int step, double trainLoss);
    }

    /**
     * Trains only the head on fixed features (of a frozen pretrained encoder, text or image):
     * full-batch Adam on the softmax cross-entropy.
     *
     * @param head the head (its arrays collect gradients)
     * @param features (N, hidden), not changed
     * @param labels each row's class
     * @param steps full-batch Adam steps
     * @param learningRate Adam's rate
     * @param listener told the loss after each step
     */
    public static void linearProbe(
            Head head,
            NDArray features,
            int[] labels,
            int steps,
            float learningRate,
            ProbeListener listener) {
        try (NDManager m = features.getManager().newSubManager()) {
            NDArray y = m.create(Arrays.stream(labels).asLongStream().toArray());
            Optimizer adam =
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
            for (int step = 1; step <= steps; step++) {
                double loss;
                try (NDManager s = m.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    s.tempAttachAll(
                            features,
                            y); // the step's intermediates follow their first operand into s, and
                    // go with it
                    NDArray l =
                            Loss.softmaxCrossEntropyLoss()
                                    .evaluate(new NDList(y), new NDList(head.logits(features)));
                    loss = l.getFloat();
                    gc.backward(l);
                }
                head.step(adam);
                TrainingInterrupt.check(); // a signal stops the run here, between steps
                listener.afterStep(step, loss);
            }
        }
    }

    /**
     * Classifies every example (batches sorted by length) and compares with the labels.
     *
     * @param encoder the encoder
     * @param head the head
     * @param root owns the intermediates
     * @param data the examples
     * @param batch examples per forward pass
     * @param classes the number of classes
     * @return the metrics
     */
    public static ClassMetrics evaluate(
            BertEncoder encoder, Head head, NDManager root, Examples data, int batch, int classes) {
        long[] predicted = new long[data.labels().length];
        for (int[] rows : batches(data.ids(), batch, null)) {
            try (NDManager s = root.newSubManager()) {
                long[] p =
                        head.logits(pooled(encoder, s, arrays(s, data, rows)))
                                .argMax(1)
                                .toLongArray();
                for (int r = 0; r < rows.length; r++) {
                    predicted[rows[r]] = p[r];
                }
            }
        }
        return metrics(data.labels(), predicted, classes);
    }

    /**
     * The confusion matrix and its metrics.
     *
     * @param truth true classes
     * @param predicted predicted classes, as many
     * @param classes the number of classes
     * @return the metrics
     */
    public static ClassMetrics metrics(int[] truth, long[] predicted, int classes) {
        int[][] confusion = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][(int) predicted[i]]++;
        }
        return ClassMetrics.of(confusion);
    }

    /**
     * The pooled states of every example, in the examples' order.
     *
     * @param encoder the encoder
     * @param m owns the result
     * @param data the examples
     * @param batch examples per forward pass
     * @return (N, hidden)
     */
    public static NDArray features(BertEncoder encoder, NDManager m, Examples data, int batch) {
        int hidden = encoder.config().hidden();
        float[] out = new float[data.ids().size() * hidden];
        for (int[] rows : batches(data.ids(), batch, null)) {
            try (NDManager s = m.newSubManager()) {
                float[] f = pooled(encoder, s, arrays(s, data, rows)).toFloatArray();
                for (int r = 0; r < rows.length; r++) {
                    System.arraycopy(f, r * hidden, out, rows[r] * hidden, hidden);
                }
            }
        }
        return m.create(out, new Shape(data.ids().size(), hidden));
    }

    /**
     * Batches of similar length: with a random source, shuffled, sorted by length within windows of
     * 8 batches, and the batches shuffled (similar lengths pad little, and the order stays random);
     * without one, sorted by length.
     *
     * @param ids the examples' token ids
     * @param size examples per batch
     * @param random the order, or null for evaluation
     * @return row indices of each batch
     */
    public static List<int[]> batches(List<long[]> ids, int size, Random random) {
        Integer[] order = new Integer[ids.size()];
        Arrays.setAll(order, i -> i);
        if (random == null) {
            Arrays.sort(order, Comparator.comparingInt(i -> ids.get(i).length));
        } else {
            Collections.shuffle(Arrays.asList(order), random);
            int window = size * 8;
            for (int from = 0; from < order.length; from += window) {
                Arrays.sort(
                        order,
                        from,
                        Math.min(order.length, from + window),
                        Comparator.comparingInt(i -> ids.get(i).length));
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += size) {
            out.add(
                    Arrays.stream(order, from, Math.min(order.length, from + size))
                            .mapToInt(Integer::intValue)
                            .toArray());
        }
        if (random != null) {
            Collections.shuffle(out, random);
        }
        return out;
    }

    /**
     * One batch padded to its longest example.
     *
     * @param m owns the arrays
     * @param data the examples
     * @param rows which
     * @return ids, token types (zeros), mask, labels
     */
    public static NDArray[] arrays(NDManager m, Examples data, int[] rows) {
        int t = Arrays.stream(rows).map(i -> data.ids().get(i).length).max().orElse(1);
        long[] ids = new long[rows.length * t];
        long[] mask = new long[ids.length];
        long[] labels = new long[rows.length];
        for (int r = 0; r < rows.length; r++) {
            long[] seq = data.ids().get(rows[r]);
            System.arraycopy(seq, 0, ids, r * t, seq.length);
            Arrays.fill(mask, r * t, r * t + seq.length, 1);
            labels[r] = data.labels()[rows[r]];
        }
        Shape s = new Shape(rows.length, t);
        return new NDArray[] {
            m.create(ids, s), m.zeros(s, DataType.INT64), m.create(mask, s), m.create(labels)
        };
    }

    /**
     * The mean of the last hidden state over the real tokens: what the head reads.
     *
     * @param encoder the encoder
     * @param m owns the intermediates
     * @param batch from {@link #arrays}
     * @return (B, hidden)
     */
    public static NDArray pooled(BertEncoder encoder, NDManager m, NDArray[] batch) {
        return BertEncoder.meanPool(encoder.forward(m, batch[0], batch[1], batch[2]), batch[2]);
    }

    /**
     * Merges the encoder's LoRA adapters into its weights and says how far that moved the pooled
     * states of the first (shortest) batch: float rounding, if merging is right.
     *
     * @param encoder an encoder with adapters (left merged, without them)
     * @param root owns the intermediates
     * @param data the examples
     * @param batch examples in the batch
     * @return the largest absolute change
     */
    public static double mergeAndCompare(
            BertEncoder encoder, NDManager root, Examples data, int batch) {
        try (NDManager m = root.newSubManager()) {
            NDArray[] b = arrays(m, data, batches(data.ids(), batch, null).get(0));
            NDArray adapted = pooled(encoder, m, b);
            encoder.mergeLora();
            return pooled(encoder, m, b).sub(adapted).abs().max().getFloat();
        }
    }
}
