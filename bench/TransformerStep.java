// One training step of the week-10 / HW3 Transformer classifier (E 64, 4 heads, 2 pre-LN layers, FFN 128) on a batch
// of 32 x 256 tokens, for the side-by-side with bench/transformer_step_pytorch.py in docs/benchmarks.md. Two ways:
// "labs" (DJL's Trainer with an Accuracy evaluator and the basic listeners, EasyTrain.trainBatch + step: the labs'
// loop until 2026-12-03) and "lean" (forward, loss, backward, step: what ClassifierTraining's step is now; it also
// sums the loss and the correct predictions on the engine). Prints one JSON line: median milliseconds per step.
//   java -cp "cli/target/dllab-cli.jar:cli/target/lib/*" bench/TransformerStep.java [STEPS] [SEED]
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import org.dllab.core.DjlRuntime;
import org.dllab.models.TextTransformer;
import org.dllab.run.ClassifierTraining;

public class TransformerStep {
    static final int BATCH = 32;
    static final int TOKENS = 256;
    static final int VOCABULARY = 10_000;

    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int seed = args.length > 1 ? Integer.parseInt(args[1]) : 42;
        System.out.println("{\"run\": \"dllab\", \"labs_ms\": " + String.format(java.util.Locale.ROOT, "%.1f", time(true, steps, seed))
                + ", \"lean_ms\": " + String.format(java.util.Locale.ROOT, "%.1f", time(false, steps, seed)) + "}");
    }

    static double time(boolean labs, int steps, int seed) throws Exception {
        Engine.getInstance().setRandomSeed(seed);
        java.util.Random r = new java.util.Random(seed);
        long[] ids = new long[BATCH * TOKENS];
        long[] labels = new long[BATCH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(VOCABULARY);
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(2);
        }
        double[] ms = new double[steps];
        try (Model model = Model.newInstance("transformer")) {
            model.setBlock(TextTransformer.classifier(VOCABULARY, TOKENS, 64, 4, 2, 128, 2));
            var config = ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(),
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build(), ai.djl.Device.cpu());
            if (labs) {
                config.addEvaluator(new ai.djl.training.evaluator.Accuracy())
                        .addTrainingListeners(ai.djl.training.listener.TrainingListener.Defaults.basic());
            }
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, TOKENS), new Shape(BATCH, TOKENS));
                for (int s = -5; s < steps; s++) { // 5 warm-up steps: the JIT and libtorch's first-call costs
                    long start = System.nanoTime();
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray x = m.create(ids, new Shape(BATCH, TOKENS));
                        NDArray mask = m.ones(new Shape(BATCH, TOKENS), DataType.INT64);
                        NDArray y = m.create(labels);
                        if (labs) {
                            try (Batch batch = new Batch(m, new NDList(x, mask), new NDList(y), BATCH, null, null, 0, 1)) {
                                EasyTrain.trainBatch(trainer, batch);
                                trainer.step();
                            }
                        } else {
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x, mask))));
                            }
                            trainer.step();
                        }
                    }
                    if (s >= 0) {
                        ms[s] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        }
        Arrays.sort(ms);
        return ms[steps / 2];
    }
}
