// One full fine-tuning step of w11-finetuning's classifier (all-MiniLM-L6-v2's shape: 6 layers, hidden 384, 12 heads,
// FFN 1,536, vocabulary 30,522; mean pooling over the mask; a 384 x 6 head; AdamW with weight decay 0.01 and
// gradients clipped at 1) on a batch of 32 tweets of T tokens, for the side-by-side with
// bench/finetune_step_pytorch.py in docs/labs/w11-finetuning.md. The step is the lab's own, SequenceClassifier.step:
// forward, loss, backward, the encoder's and the head's updates. The weights are random (the cost of a step does not
// depend on them). Prints one JSON line: median milliseconds per step for T = 24 (the tweets' mean length is 22 tokens and the
// lab batches similar lengths) and T = 64 (the lab's cut).
//   java -cp "cli/target/dllab-cli.jar:cli/target/lib/*" bench/FineTuneStep.java [STEPS] [SEED]
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.dllab.core.DjlRuntime;
import org.dllab.models.BertEncoder;
import org.dllab.models.SequenceClassifier;

public class FineTuneStep {
    static final int BATCH = 32;
    static final int WARM_UP = 3;

    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seed = args.length > 1 ? Integer.parseInt(args[1]) : 42;
        StringBuilder json = new StringBuilder("{\"run\": \"dllab\"");
        for (int tokens : new int[] {24, 64}) {
            json.append(String.format(Locale.ROOT, ", \"ms_%d\": %.1f", tokens, time(tokens, steps, seed)));
        }
        System.out.println(json + "}");
    }

    static double time(int tokens, int steps, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Random r = new Random(seed);
        List<long[]> ids = new ArrayList<>();
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            long[] s = new long[tokens];
            s[0] = 101; // [CLS]
            for (int t = 1; t < tokens - 1; t++) {
                s[t] = 1000 + r.nextInt(29_000);
            }
            s[tokens - 1] = 102; // [SEP]
            ids.add(s);
            labels[i] = r.nextInt(6);
        }
        SequenceClassifier.Examples data = new SequenceClassifier.Examples(ids, labels);
        int[] rows = new int[BATCH];
        Arrays.setAll(rows, i -> i);
        try (BertEncoder encoder = BertEncoder.random(new BertEncoder.Config(6, 384, 12, 1536, 30_522, 512), seed, Device.cpu());
                NDManager root = NDManager.newBaseManager()) {
            encoder.setTrainable(true);
            SequenceClassifier.Head head = SequenceClassifier.Head.create(root, 384, 6);
            Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).optWeightDecays(0.01f)
                    .optClipGrad(1f).build();
            double[] ms = new double[WARM_UP + steps];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                SequenceClassifier.step(encoder, head, root, data, rows, adamW);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] timed = Arrays.copyOfRange(ms, WARM_UP, ms.length);
            Arrays.sort(timed);
            return timed[timed.length / 2];
        }
    }
}
