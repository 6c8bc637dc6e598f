package org.dllab.grading.quiz;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.CosineTracker;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.dllab.core.DjlRuntime;
import org.dllab.core.Scalars;

/**
 * The answers of parameterised questions, computed by DJL: a layer is built and asked its output
 * shape or parameter count, a loss is evaluated, a derivative is taken by autograd, a schedule is
 * asked its value. So an answer is what the engine the course uses does (PyTorch's two biases in a
 * recurrent layer included), not a formula typed by hand; the tests compare each with the
 * closed-form formula over many draws.
 *
 * <p>A result is a {@link Long} (a count), a {@link Double} (a value) or a {@code long[]} (a
 * shape).
 */
public final class Computations {

    /** The arguments of one computation: numbers, or lists of numbers. */
    public record Args(Map<String, Object> values) {

        double num(String name) {
            Object v = values.get(name);
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(
                        "argument '" + name + "' must be a number, got " + v);
            }
            return n.doubleValue();
        }

        int integer(String name) {
            return (int) Math.round(num(name));
        }

        float[] floats(String name) {
            Object v = values.get(name);
            if (!(v instanceof List<?> l) || l.isEmpty()) {
                throw new IllegalArgumentException(
                        "argument '" + name + "' must be a list of numbers, got " + v);
            }
            float[] f = new float[l.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = ((Number) l.get(i)).floatValue();
            }
            return f;
        }

        long[] longs(String name) {
            float[] f = floats(name);
            long[] l = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                l[i] = Math.round(f[i]);
            }
            return l;
        }
    }

    private static final Map<String, Function<Args, Object>> ALL = new TreeMap<>();

    static {
        ALL.put(
                "linear-params",
                a ->
                        parameters(
                                Linear.builder().setUnits(a.integer("out")).build(),
                                new Shape(1, a.integer("in"))));
        ALL.put(
                "mlp-params",
                a ->
                        parameters(
                                new ai.djl.nn.SequentialBlock()
                                        .add(Linear.builder().setUnits(a.integer("hidden")).build())
                                        .add(Activation::relu)
                                        .add(Linear.builder().setUnits(a.integer("out")).build()),
                                new Shape(1, a.integer("in"))));
        ALL.put(
                "conv2d-output",
                a ->
                        outputShape(
                                conv(a),
                                new Shape(
                                        a.integer("batch"),
                                        a.integer("channels"),
                                        a.integer("size"),
                                        a.integer("size"))));
        ALL.put(
                "conv2d-params",
                a -> parameters(conv(a), new Shape(1, a.integer("channels"), 32, 32)));
        ALL.put(
                "maxpool-output",
                a ->
                        outputShape(
                                Pool.maxPool2dBlock(
                                        new Shape(a.integer("kernel"), a.integer("kernel")),
                                        new Shape(a.integer("stride"), a.integer("stride")),
                                        new Shape(a.integer("padding"), a.integer("padding"))),
                                new Shape(
                                        a.integer("batch"),
                                        a.integer("channels"),
                                        a.integer("size"),
                                        a.integer("size"))));
        ALL.put(
                "patch-tokens",
                a -> { // a ViT's patch embedding is a convolution with kernel = stride = patch size
                    long[] s =
                            outputShape(
                                    Conv2d.builder()
                                            .setKernelShape(
                                                    new Shape(
                                                            a.integer("patch"), a.integer("patch")))
                                            .optStride(
                                                    new Shape(
                                                            a.integer("patch"), a.integer("patch")))
                                            .setFilters(8)
                                            .build(),
                                    new Shape(1, 3, a.integer("size"), a.integer("size")));
                    return s[2] * s[3] + 1; // + [CLS]
                });
        ALL.put(
                "batchnorm-trainable-params",
                a -> {
                    try (NDManager m = NDManager.newBaseManager()) {
                        Block b = BatchNorm.builder().build();
                        b.initialize(
                                m, DataType.FLOAT32, new Shape(2, a.integer("channels"), 4, 4));
                        return b.getParameters().values().stream()
                                .filter(Parameter::requiresGradient)
                                .mapToLong(p -> p.getArray().size())
                                .sum();
                    }
                });
        ALL.put(
                "rnn-params",
                a ->
                        parameters(
                                RNN.builder()
                                        .setStateSize(a.integer("hidden"))
                                        .setNumLayers(1)
                                        .optBatchFirst(true)
                                        .build(),
                                new Shape(2, 5, a.integer("in"))));
        ALL.put(
                "lstm-params",
                a ->
                        parameters(
                                LSTM.builder()
                                        .setStateSize(a.integer("hidden"))
                                        .setNumLayers(1)
                                        .optBatchFirst(true)
                                        .build(),
                                new Shape(2, 5, a.integer("in"))));
        ALL.put(
                "gru-params",
                a ->
                        parameters(
                                GRU.builder()
                                        .setStateSize(a.integer("hidden"))
                                        .setNumLayers(1)
                                        .optBatchFirst(true)
                                        .build(),
                                new Shape(2, 5, a.integer("in"))));
        ALL.put(
                "lstm-output",
                a ->
                        outputShape(
                                LSTM.builder()
                                        .setStateSize(a.integer("hidden"))
                                        .setNumLayers(1)
                                        .optBatchFirst(true)
                                        .build(),
                                new Shape(
                                        a.integer("batch"), a.integer("steps"), a.integer("in"))));
        ALL.put(
                "attention-params",
                a -> { // query, key, value and output projections, each d -> d with a bias
                    long total = 0;
                    for (int i = 0; i < 4; i++) {
                        total +=
                                parameters(
                                        Linear.builder().setUnits(a.integer("d")).build(),
                                        new Shape(1, a.integer("d")));
                    }
                    return total;
                });
        ALL.put(
                "matmul-shape",
                a ->
                        withManager(
                                m ->
                                        m.zeros(new Shape(a.integer("m"), a.integer("k")))
                                                .matMul(
                                                        m.zeros(
                                                                new Shape(
                                                                        a.integer("k"),
                                                                        a.integer("n"))))
                                                .getShape()
                                                .getShape()));
        ALL.put(
                "cls-token-shape",
                a ->
                        withManager(
                                m ->
                                        m.zeros(
                                                        new Shape(
                                                                a.integer("batch"),
                                                                a.integer("tokens"),
                                                                a.integer("width")))
                                                .get(":, 0, :")
                                                .getShape()
                                                .getShape()));
        ALL.put(
                "kv-cache-values",
                a -> new Shape(2, a.integer("layers"), a.integer("tokens"), a.integer("d")).size());
        ALL.put(
                "softmax",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                m.create(a.floats("logits"))
                                                        .softmax(0)
                                                        .getFloat(a.integer("index"))));
        ALL.put(
                "softmax-temperature",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                m.create(a.floats("logits"))
                                                        .div((float) a.num("temperature"))
                                                        .softmax(0)
                                                        .getFloat(a.integer("index"))));
        ALL.put(
                "cross-entropy",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                Loss.softmaxCrossEntropyLoss()
                                                        .evaluate(
                                                                new NDList(
                                                                        m.create(
                                                                                new float[] {
                                                                                    a.integer(
                                                                                            "label")
                                                                                })),
                                                                new NDList(
                                                                        m.create(a.floats("logits"))
                                                                                .reshape(1, -1)))
                                                        .getFloat()));
        ALL.put(
                "binary-cross-entropy",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                Loss.sigmoidBinaryCrossEntropyLoss()
                                                        .evaluate(
                                                                new NDList(
                                                                        m.create(
                                                                                new float[] {
                                                                                    a.integer(
                                                                                            "label")
                                                                                })),
                                                                new NDList(
                                                                        m.create(
                                                                                new float[] {
                                                                                    (float)
                                                                                            a.num(
                                                                                                    "logit")
                                                                                })))
                                                        .getFloat()));
        ALL.put(
                "mse",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                m.create(a.floats("prediction"))
                                                        .sub(m.create(a.floats("target")))
                                                        .square()
                                                        .mean()
                                                        .getFloat()));
        ALL.put(
                "sigmoid",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                Activation.sigmoid(
                                                                m.create(
                                                                        new float[] {
                                                                            (float) a.num("x")
                                                                        }))
                                                        .getFloat()));
        ALL.put("sigmoid-derivative", a -> derivative(a.num("x"), Activation::sigmoid));
        ALL.put(
                "relu-unit-derivative-w",
                a ->
                        derivative(
                                a.num("w"),
                                w -> Activation.relu(Scalars.mul(w, a.num("x")).add(a.num("b")))));
        ALL.put(
                "gd-step",
                a ->
                        a.num("w")
                                - a.num("lr")
                                        * derivative(
                                                a.num("w"), w -> w.sub(a.num("target")).square()));
        ALL.put(
                "weight-decay-gradient",
                a -> derivative(a.num("w"), w -> Scalars.mul(w.square(), a.num("lambda") / 2)));
        ALL.put(
                "momentum-two-steps",
                a ->
                        withManager(
                                m -> {
                                    NDArray w = m.create(new float[] {(float) a.num("w")});
                                    NDArray v = m.zeros(new Shape(1));
                                    for (String g : List.of("g1", "g2")) {
                                        v = v.mul(a.num("mu")).add(a.num(g));
                                        w = w.sub(v.mul(a.num("lr")));
                                    }
                                    return (double) w.getFloat();
                                }));
        // float64: 1 - 0.999^t loses three digits in float32 (500.26 instead of 500.25 at t = 2)
        ALL.put(
                "adam-correction",
                a ->
                        withManager(
                                m ->
                                        m.create(new double[] {1})
                                                .div(
                                                        m.create(new double[] {1})
                                                                .sub(
                                                                        m.create(
                                                                                        new double
                                                                                                [] {
                                                                                            a.num(
                                                                                                    "beta")
                                                                                        })
                                                                                .pow(a.num("t"))))
                                                .getDouble()));
        ALL.put(
                "cosine-lr",
                a ->
                        (double)
                                CosineTracker.builder()
                                        .setBaseValue((float) a.num("lr"))
                                        .optFinalValue(0f)
                                        .setMaxUpdates(a.integer("total"))
                                        .build()
                                        .getNewValue(a.integer("step")));
        ALL.put(
                "batchnorm-value",
                a ->
                        withManager(
                                m -> { // training mode: the batch's own mean and (biased) variance
                                    NDArray x = m.create(a.floats("batch"));
                                    NDArray out =
                                            x.sub(x.mean())
                                                    .div(
                                                            x.sub(x.mean())
                                                                    .square()
                                                                    .mean()
                                                                    .add(1e-5f)
                                                                    .sqrt());
                                    return (double) out.getFloat(a.integer("index"));
                                }));
        ALL.put(
                "attention-score",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                m.create(a.floats("q"))
                                                        .dot(m.create(a.floats("k")))
                                                        .div(
                                                                (float)
                                                                        Math.sqrt(
                                                                                a.floats("q")
                                                                                        .length))
                                                        .getFloat()));
        ALL.put(
                "perplexity",
                a ->
                        withManager(
                                m ->
                                        (double)
                                                m.create(new float[] {(float) a.num("loss")})
                                                        .exp()
                                                        .getFloat()));
    }

    private Computations() {}

    /**
     * The names of every computation.
     *
     * @return sorted names
     */
    public static java.util.Set<String> names() {
        return ALL.keySet();
    }

    /**
     * Computes one answer.
     *
     * @param name e.g. {@code conv2d-output}
     * @param args its arguments
     * @return a Long, Double or long[] (shape)
     */
    public static Object compute(String name, Map<String, Object> args) {
        Function<Args, Object> f = ALL.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown computation '" + name + "'; known: " + ALL.keySet());
        }
        DjlRuntime.prepare();
        return f.apply(new Args(args));
    }

    private static Conv2d conv(Args a) {
        return Conv2d.builder()
                .setKernelShape(new Shape(a.integer("kernel"), a.integer("kernel")))
                .optStride(new Shape(a.integer("stride"), a.integer("stride")))
                .optPadding(new Shape(a.integer("padding"), a.integer("padding")))
                .setFilters(a.integer("filters"))
                .build();
    }

    private static long parameters(Block block, Shape input) {
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, input);
            return block.getParameters().values().stream()
                    .mapToLong(p -> p.getArray().size())
                    .sum();
        }
    }

    private static long[] outputShape(Block block, Shape input) {
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, input);
            return block.forward(new ParameterStore(m, false), new NDList(m.zeros(input)), false)
                    .singletonOrThrow()
                    .getShape()
                    .getShape();
        }
    }

    private static <T> T withManager(Function<NDManager, T> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            return f.apply(m);
        }
    }

    /** d f / d x at x, by autograd. */
    private static double derivative(double x, Function<NDArray, NDArray> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(new float[] {(float) x});
            v.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(f.apply(v).sum());
            }
            return v.getGradient().getFloat();
        }
    }
}
