// The week-6 / HW2 SimpleCnn trained by the labs' own loop (ClassifierTraining) on the CIFAR-10 subset, for the
// side-by-side with bench/cnn_pytorch.py in docs/benchmarks.md. Prints one JSON line: training samples/s per epoch.
//   java -cp "cli/target/dllab-cli.jar:cli/target/lib/*" bench/CnnTraining.java CIFAR_DIR [EPOCHS] [SEED]
// (bench/cnn-transformer.sh runs it with the launcher's JVM options and environment.)
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dllab.core.DjlRuntime;
import org.dllab.data.CifarBinary;
import org.dllab.data.ImageSet;
import org.dllab.data.Split;
import org.dllab.models.SimpleCnn;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;

public class CnnTraining {
    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        Path cifar = Path.of(args[0]);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seed = args.length > 2 ? Integer.parseInt(args[2]) : 42;
        Engine.getInstance().setRandomSeed(seed);
        ImageSet train = CifarBinary.load(cifar, Split.TRAIN);
        ImageSet test = CifarBinary.load(cifar, Split.TEST);
        List<EpochMetrics> epochsDone = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(); Model model = Model.newInstance("cnn")) {
            model.setBlock(SimpleCnn.build());
            var config = ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(),
                    Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build(), ai.djl.Device.cpu());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 3, 32, 32));
                new ClassifierTraining(trainer, 64, 0, null).fit(train.toDataset(m, 64, true, CifarBinary.MEAN, CifarBinary.STD),
                        test.toDataset(m, 64, false, CifarBinary.MEAN, CifarBinary.STD), epochs, epochsDone::add);
            }
        }
        StringBuilder sps = new StringBuilder();
        StringBuilder acc = new StringBuilder();
        for (EpochMetrics e : epochsDone) {
            sps.append(sps.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.1f", e.samplesPerSecond()));
            acc.append(acc.length() == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4f", e.testAccuracy()));
        }
        System.out.println("{\"run\": \"dllab\", \"samples_per_second\": [" + sps + "], \"test_accuracy\": [" + acc + "]}");
    }
}
