// One training step of the week-5 MLP or HW2's SimpleCnn, split into phases and timed, for the phase-by-phase
// comparison with bench/step_phases_pytorch.py in docs/benchmarks.md. The step is ClassifierTraining's lean step
// (DJL's trainer, the labs' loss and Adam) on seeded random data of the labs' shapes: a batch of 64 gathered by
// random indices (like the labs' shuffled sampler), forward, loss, backward, the optimizer's update, and the
// labs' on-engine sums of loss and correct predictions. Prints one JSON line: the median microseconds of each
// phase over STEPS steps after 20 warm-up steps.
//   java -cp "cli/target/dllab-cli.jar:cli/target/lib/*" bench/StepPhases.java mlp|cnn [STEPS] [SEED]
// (bench/step-phases.sh runs it with the launcher's JVM options and environment.)
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Locale;
import org.dllab.core.DjlRuntime;
import org.dllab.models.Mlp;
import org.dllab.models.SimpleCnn;
import org.dllab.run.ClassifierTraining;

public class StepPhases {
    static final String[] PHASES = {"gather", "forward", "loss", "backward", "optimizer", "sums"};
    static final int BATCH = 64;
    static final int WARM_UP = 20; // the JIT and libtorch's first-call costs

    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        boolean cnn = args[0].equals("cnn");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seed = args.length > 2 ? Integer.parseInt(args[2]) : 42;
        Engine.getInstance().setRandomSeed(seed);
        // the labs' training sets: MNIST's 60,000 x 784 pixels, the CIFAR-10 subset's 4,000 x 3 x 32 x 32
        Shape examples = cnn ? new Shape(4000, 3, 32, 32) : new Shape(60000, 784);
        long[][] micros = new long[PHASES.length][steps];
        try (Model model = Model.newInstance(args[0]);
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(cnn ? SimpleCnn.build() : Mlp.mnist());
            NDArray x = data.randomNormal(examples);
            NDArray y = data.randomInteger(0, 10, new Shape(examples.get(0)), DataType.INT64);
            var config = ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(),
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build(), Device.cpu());
            try (Trainer trainer = model.newTrainer(config);
                    NDManager pass = trainer.getManager().newSubManager()) {
                Shape input = new Shape(BATCH).addAll(examples.slice(1));
                trainer.initialize(input);
                NDArray lossSum = pass.zeros(new Shape());
                NDArray correct = pass.zeros(new Shape(), DataType.INT64);
                for (int s = -WARM_UP; s < steps; s++) {
                    long[] t = new long[PHASES.length + 1];
                    try (NDManager batch = pass.newSubManager()) { // per step, as the labs' batches
                        t[0] = System.nanoTime();
                        NDArray index = batch.randomInteger(0, examples.get(0), new Shape(BATCH), DataType.INT64);
                        NDArray xb = x.get(index);
                        NDArray yb = y.get(index);
                        xb.attach(batch);
                        yb.attach(batch);
                        t[1] = System.nanoTime();
                        NDList out;
                        NDArray loss;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            out = trainer.forward(new NDList(xb));
                            t[2] = System.nanoTime();
                            loss = trainer.getLoss().evaluate(new NDList(yb), out);
                            t[3] = System.nanoTime();
                            gc.backward(loss);
                        }
                        t[4] = System.nanoTime();
                        trainer.step();
                        t[5] = System.nanoTime();
                        lossSum.addi(loss);
                        correct.addi(out.head().argMax(1).eq(yb).sum());
                        t[6] = System.nanoTime();
                    }
                    for (int p = 0; s >= 0 && p < PHASES.length; p++) {
                        micros[p][s] = (t[p + 1] - t[p]) / 1000;
                    }
                }
            }
        }
        StringBuilder json = new StringBuilder("{\"run\": \"dllab\", \"model\": \"" + args[0] + "\"");
        long total = 0;
        for (int p = 0; p < PHASES.length; p++) {
            long median = median(micros[p]);
            total += median;
            json.append(String.format(Locale.ROOT, ", \"%s_us\": %d", PHASES[p], median));
        }
        System.out.println(json.append(", \"total_us\": ").append(total).append('}'));
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
