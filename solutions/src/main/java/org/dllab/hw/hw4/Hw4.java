package org.dllab.hw.hw4;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.data.Split;
import org.dllab.labs.week13.Weights;

/**
 * Runs the whole homework (given, no blanks): (1) the base model, a {@link TinyVit} trained on the MNIST digits 0-4
 * (the "pretraining"); (2) the new task, digits 5-9, learned twice from the base: full fine-tuning and LoRA (your
 * {@link LoraLinear} and {@link Finetuning}); (3) the fully fine-tuned model quantised to int8 (your
 * {@link Int8Weights}) and evaluated again.
 */
public final class Hw4 {

    /** E. */
    public static final int EMBED = 64;

    /** Attention heads. */
    public static final int HEADS = 4;

    /** Encoder layers. */
    public static final int DEPTH = 3;

    /** LoRA rank. Measured: rank 4 on query and value only stayed 2-2.7 points behind full fine-tuning; on all four projections 1.3. */
    public static final int RANK = 4;

    /** LoRA alpha: the update is scaled by alpha / r = 2. */
    public static final float ALPHA = 8f;

    /** LoRA dropout. */
    public static final float LORA_DROPOUT = 0.05f;

    /** Batch size. */
    public static final int BATCH_SIZE = 128;

    /** Base-model epochs on the digits 0-4. */
    public static final int BASE_EPOCHS = 3;

    /** Fine-tuning epochs on the digits 5-9. */
    public static final int FINE_TUNE_EPOCHS = 2;

    /** Base training and full fine-tuning step size (Adam). */
    public static final float LEARNING_RATE = 1e-3f;

    /** LoRA's step size: its few parameters start at B = 0 and take larger steps (the LoRA paper uses 2e-4 to 5e-3). */
    public static final float LORA_LEARNING_RATE = 5e-3f;

    /** MNIST's mean and standard deviation. */
    private static final float[] MEAN = {0.1307f};
    private static final float[] STD = {0.3081f};

    /**
     * What a run measured.
     *
     * @param baseAccuracy the base model on the test digits 0-4
     * @param fullAccuracy full fine-tuning on the test digits 5-9
     * @param loraAccuracy LoRA on the test digits 5-9
     * @param parameters all parameters of the LoRA model
     * @param loraTrainable the ones LoRA trains
     * @param fullTrainable the ones full fine-tuning trains
     * @param quantizedAccuracy the fully fine-tuned model after int8 quantisation
     * @param float32Bytes its size before
     * @param int8Bytes its size after
     */
    public record Result(double baseAccuracy, double fullAccuracy, double loraAccuracy, long parameters, long loraTrainable,
            long fullTrainable, double quantizedAccuracy, long float32Bytes, long int8Bytes) {}

    private Hw4() {}

    /**
     * Runs everything.
     *
     * @param mnist the folder of the MNIST files
     * @param seed seed of the weights and the batch order
     * @param maxBatches batches per epoch at most (0: all), for quick checks
     * @param log progress, or null
     * @return the measurements
     * @throws Exception on missing data or a training failure
     */
    public static Result run(Path mnist, long seed, long maxBatches, PrintStream log) throws Exception {
        DjlRuntime.engine((int) seed);
        ImageSet train = MnistIdx.load(mnist, Split.TRAIN);
        ImageSet test = MnistIdx.load(mnist, Split.TEST);
        try (Model base = model(0); Model full = model(0); Model lora = model(RANK); NDManager data = NDManager.newBaseManager()) {
            double baseAccuracy;
            Map<String, float[]> baseWeights;
            try (Trainer t = trainer(base, LEARNING_RATE)) {
                Finetuning.trainAllButAdapters((TinyVit) base.getBlock());
                fit(t, digits(train, 0).toDataset(data, BATCH_SIZE, true, MEAN, STD), BASE_EPOCHS, maxBatches);
                baseAccuracy = accuracy(t, digits(test, 0).toDataset(data, BATCH_SIZE, false, MEAN, STD));
                baseWeights = weights(base.getBlock());
            }
            log(log, "base model (digits 0-4, %d epochs): test accuracy %.4f", BASE_EPOCHS, baseAccuracy);
            ArrayDataset newTrain = digits(train, 5).toDataset(data, BATCH_SIZE, true, MEAN, STD);
            ArrayDataset newTest = digits(test, 5).toDataset(data, BATCH_SIZE, false, MEAN, STD);

            double fullAccuracy;
            long fullTrainable;
            double quantizedAccuracy;
            Quantization.Report report;
            try (Trainer t = trainer(full, LEARNING_RATE)) {
                copyWeights(baseWeights, full.getBlock());
                Finetuning.trainAllButAdapters((TinyVit) full.getBlock());
                fullTrainable = Finetuning.trainableParameters(full.getBlock());
                fit(t, newTrain, FINE_TUNE_EPOCHS, maxBatches);
                fullAccuracy = accuracy(t, newTest);
                report = Quantization.quantize(full.getBlock());
                quantizedAccuracy = accuracy(t, newTest);
            }
            log(log, "full fine-tuning (digits 5-9): %,d trainable parameters, test accuracy %.4f", fullTrainable, fullAccuracy);
            log(log, "int8 (per-channel, symmetric): %,d -> %,d bytes (%.2fx smaller), test accuracy %.4f", report.float32Bytes(),
                    report.quantizedBytes(), report.ratio(), quantizedAccuracy);

            double loraAccuracy;
            long loraTrainable;
            long parameters;
            try (Trainer t = trainer(lora, LORA_LEARNING_RATE)) {
                copyWeights(baseWeights, lora.getBlock());
                Finetuning.trainOnlyAdaptersAndHead((TinyVit) lora.getBlock());
                loraTrainable = Finetuning.trainableParameters(lora.getBlock());
                parameters = Finetuning.allParameters(lora.getBlock());
                fit(t, newTrain, FINE_TUNE_EPOCHS, maxBatches);
                loraAccuracy = accuracy(t, newTest);
            }
            log(log, "LoRA (r = %d on query, key, value and output, alpha %.0f): %,d of %,d parameters trained (%.1f %%), test accuracy %.4f", RANK,
                    ALPHA, loraTrainable, parameters, 100.0 * loraTrainable / parameters, loraAccuracy);
            return new Result(baseAccuracy, fullAccuracy, loraAccuracy, parameters, loraTrainable, fullTrainable, quantizedAccuracy,
                    report.float32Bytes(), report.quantizedBytes());
        }
    }

    private static void log(PrintStream log, String format, Object... args) {
        if (log != null) {
            log.printf(format + "%n", args);
        }
    }

    private static Model model(int rank) {
        Model m = Model.newInstance("hw4-" + rank);
        m.setBlock(new TinyVit(EMBED, HEADS, DEPTH, 5, rank, ALPHA, LORA_DROPOUT));
        return m;
    }

    private static Trainer trainer(Model model, float lr) {
        Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build()));
        t.initialize(new Shape(1, 1, 28, 28));
        return t;
    }

    /**
     * Five of MNIST's digits, relabelled 0-4.
     *
     * @param all the MNIST split
     * @param first 0 for the digits 0-4, 5 for 5-9
     * @return the images of those digits
     */
    public static ImageSet digits(ImageSet all, int first) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.label(i) >= first && all.label(i) < first + 5) {
                keep.add(i);
            }
        }
        ImageSet chosen = all.select(keep.stream().mapToInt(Integer::intValue).toArray());
        byte[] labels = chosen.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] -= (byte) first;
        }
        return new ImageSet(chosen.pixels(), labels, chosen.channels(), chosen.height(), chosen.width(),
                all.classNames().subList(first, first + 5));
    }

    /**
     * A copy of every parameter's values, by name.
     *
     * @param block an initialised block
     * @return name to values
     */
    public static Map<String, float[]> weights(Block block) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /**
     * Copies saved values into every parameter of {@code to} that has the same name and size (the adapters, which
     * the base model lacks, keep their initial values).
     *
     * @param from name to values, from {@link #weights}
     * @param to an initialised block
     */
    public static void copyWeights(Map<String, float[]> from, Block to) {
        for (Pair<String, Parameter> p : to.getParameters()) {
            float[] values = from.get(p.getKey());
            NDArray param = p.getValue().getArray();
            if (values != null && values.length == param.size()) {
                Weights.overwrite(param, values); // in libtorch's memory, not NDArray.set's Java buffer
            }
        }
    }

    /**
     * Trains for some epochs.
     *
     * @param trainer the trainer
     * @param data the training data
     * @param epochs epochs
     * @param maxBatches batches per epoch at most (0: all)
     * @throws Exception when a batch cannot be read
     */
    public static void fit(Trainer trainer, ArrayDataset data, int epochs, long maxBatches) throws Exception {
        for (int e = 0; e < epochs; e++) {
            long n = 0;
            try (NDManager pass = trainer.getManager().newSubManager()) {
                for (Batch batch : data.getData(pass)) {
                    try (batch) {
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                    }
                    if (maxBatches > 0 && ++n >= maxBatches) {
                        break;
                    }
                }
            }
        }
    }

    /**
     * Accuracy in evaluation mode.
     *
     * @param trainer the trainer
     * @param data the test data (not shuffled)
     * @return the fraction right
     * @throws Exception when a batch cannot be read
     */
    public static double accuracy(Trainer trainer, ArrayDataset data) throws Exception {
        long correct = 0;
        try (NDManager pass = trainer.getManager().newSubManager()) {
            for (Batch batch : data.getData(pass)) {
                try (batch) {
                    NDArray logits = trainer.evaluate(batch.getData()).singletonOrThrow();
                    correct += logits.argMax(1).eq(batch.getLabels().singletonOrThrow()).sum().getLong();
                }
            }
        }
        return correct / (double) data.size();
    }

    /**
     * {@code java org.dllab.hw.hw4.Hw4}: everything, on the MNIST found through {@code DLLAB_DATA}.
     *
     * @param args none
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        Path folder = DataLocations.fromEnvironment(null, false).resolve(DatasetCatalog.MNIST, System.out);
        run(folder, 42, 0, System.out);
    }
}
