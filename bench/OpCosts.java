// The cost of single operations of the MLP's and the CNN's steps through DJL, for the comparison with
// bench/op_costs_pytorch.py in docs/benchmarks.md: the call itself (an addition of one number), the MLP's matrix
// products, the element-wise operations Adam's update is made of, and the CNN's max pooling. Median microseconds
// of 1,000 calls (100 for max pooling) after warm-up calls. Prints one JSON line.
//   java -Dai.djl.pytorch.num_threads=1 -cp "cli/target/dllab-cli.jar:cli/target/lib/*" bench/OpCosts.java
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.dllab.core.DjlRuntime;
import org.dllab.core.Scalars;

public class OpCosts {
    public static void main(String[] args) throws Exception {
        DjlRuntime.prepare();
        Engine.getInstance().setRandomSeed(42);
        Map<String, Double> micros = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray one = m.ones(new Shape(1));
            NDArray x = m.randomNormal(new Shape(64, 784)); // a batch of MNIST
            NDArray w = m.randomNormal(new Shape(256, 784)); // the first layer's weight
            NDArray b = m.randomNormal(new Shape(256));
            NDArray g = m.randomNormal(new Shape(64, 256)); // the gradient at its output
            NDArray positive = w.abs();
            NDArray feature = m.randomNormal(new Shape(64, 32, 32, 32)); // the CNN's first block
            for (int i = 0; i < 50_000; i++) { // lets the JIT compile DJL's Java side of a call first
                one.add(one).close();
            }
            micros.put("call_add_1", time(1000, () -> one.add(one)));
            micros.put("linear_64x784_256", time(1000, () -> Linear.linear(x, w, b).head()));
            micros.put("matmul_gT_x", time(1000, () -> g.transpose().matMul(x)));
            micros.put("matmul_g_w", time(1000, () -> g.matMul(w)));
            micros.put("clone_256x784", time(1000, w::duplicate));
            micros.put("mul_number_256x784", time(1000, () -> w.mul(0.9f)));
            micros.put("mul_scalars_256x784", time(1000, () -> Scalars.mul(w, 0.9))); // the labs' way
            micros.put("div_256x784", time(1000, () -> w.div(positive)));
            micros.put("sqrt_256x784", time(1000, positive::sqrt));
            micros.put("sqrt_with_negatives_256x784", time(1000, w::sqrt));
            micros.put("max_pool_64x32x32x32", time(100, () -> Pool.maxPool2d(feature, new Shape(2, 2),
                    new Shape(2, 2), new Shape(0, 0), false)));
        }
        StringBuilder json = new StringBuilder("{\"run\": \"dllab\", \"threads\": "
                + JniUtils.getNumThreads());
        micros.forEach((k, v) -> json.append(String.format(Locale.ROOT, ", \"%s_us\": %.1f", k, v)));
        System.out.println(json.append('}'));
    }

    /** Median microseconds of {@code calls} calls of {@code op}, after a tenth as many warm-up calls. */
    static double time(int calls, Supplier<NDArray> op) {
        long[] nanos = new long[calls];
        for (int i = -calls / 10; i < calls; i++) {
            long start = System.nanoTime();
            op.get().close();
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        return nanos[calls / 2] / 1e3;
    }
}
