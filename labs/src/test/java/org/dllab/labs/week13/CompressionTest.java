package org.dllab.labs.week13;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DatasetCatalog;
import org.dllab.models.Mlp;
import org.dllab.run.ModelSize;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-model quantisation, the saved file, pruning, the distillation loss, and a smoke run of the
 * lab.
 */
class CompressionTest {

    @TempDir Path tmp;

    private static Model mlp(String name) {
        Model m = Model.newInstance(name);
        m.setBlock(Mlp.mnist());
        m.getBlock().initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return m;
    }

    private static float[] logits(Model m, NDArray x) {
        return m.getBlock()
                .forward(new ParameterStore(x.getManager(), false), new NDList(x), false)
                .singletonOrThrow()
                .toFloatArray();
    }

    @Test
    void aSavedInt8ModelReloadsToTheSameLogitsAndIsAQuarterOfTheSize() throws IOException {
        DjlRuntime.engine(4);
        try (Model a = mlp("a");
                Model b = mlp("b");
                NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(5, 1, 28, 28));
            Path file = tmp.resolve("q.ndlist");
            QuantizedModels.save(
                    a.getBlock(),
                    Quantizer.Granularity.PER_CHANNEL,
                    Quantizer.Mode.SYMMETRIC,
                    8,
                    file);
            long bytes =
                    QuantizedModels.quantizeInPlace(
                            a.getBlock(),
                            Quantizer.Granularity.PER_CHANNEL,
                            Quantizer.Mode.SYMMETRIC,
                            8);
            QuantizedModels.load(b.getBlock(), file);
            assertArrayEquals(
                    logits(a, x),
                    logits(b, x),
                    0f,
                    "the reloaded model computes exactly what the quantised one did");
            long fp32 = 4 * ModelSize.parameters(a.getBlock());
            assertTrue(bytes < fp32 / 3.9, bytes + " of " + fp32);
            assertTrue(Files.size(file) < fp32 / 3.5, "the file: " + Files.size(file));
        }
    }

    @Test
    void loadingIntoAnotherNetworkSaysWhichParameterIsMissing() throws IOException {
        DjlRuntime.engine(4);
        try (Model a = mlp("a");
                Model student = Model.newInstance("s")) {
            student.setBlock(QuantizationLab.student());
            student.getBlock()
                    .initialize(student.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
            Path file = tmp.resolve("q.ndlist");
            QuantizedModels.save(
                    student.getBlock(),
                    Quantizer.Granularity.PER_TENSOR,
                    Quantizer.Mode.ASYMMETRIC,
                    4,
                    file);
            IOException e =
                    assertThrows(IOException.class, () -> QuantizedModels.load(a.getBlock(), file));
            assertTrue(e.getMessage().contains("parameter"), e.getMessage());
            Files.write(tmp.resolve("junk.ndlist"), new byte[] {1, 2, 3});
            assertThrows(
                    IOException.class,
                    () -> QuantizedModels.load(a.getBlock(), tmp.resolve("junk.ndlist")));
        }
    }

    @Test
    void pruningZeroesTheSmallestWeightsAndKeepsBiases() {
        DjlRuntime.engine(4);
        try (Model a = mlp("a")) {
            Map<String, float[]> before = Weights.snapshot(a.getBlock());
            Pruning.prune(a.getBlock(), 0.9);
            Map<String, float[]> after = Weights.snapshot(a.getBlock());
            long zeros = 0;
            long weights = 0;
            for (Map.Entry<String, float[]> e : after.entrySet()) {
                if (e.getKey().endsWith("bias")) {
                    assertArrayEquals(before.get(e.getKey()), e.getValue(), e.getKey());
                    continue;
                }
                for (float v : e.getValue()) {
                    zeros += v == 0 ? 1 : 0;
                    weights++;
                }
            }
            assertEquals(0.9, zeros / (double) weights, 1e-3);
        }
    }

    @Test
    void distillationLossMatchesItsFormula() {
        DjlRuntime.prepare();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] s = {1, 2, 0, 0, 0, 0, 0, 0, 0, -1};
            float[] t = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1};
            NDArray student = m.create(s, new Shape(1, 10));
            NDList labels = new NDList(m.create(new long[] {1}), m.create(t, new Shape(1, 10)));
            double temperature = 2;
            double[] ps = softmax(s, temperature);
            double[] pt = softmax(t, temperature);
            double kl = 0;
            for (int i = 0; i < 10; i++) {
                kl += pt[i] * Math.log(pt[i] / ps[i]);
            }
            double ce = -Math.log(softmax(s, 1)[1]);
            double expected = 0.3 * ce + 0.7 * 4 * kl;
            float got =
                    new DistillationLoss(2f, 0.3f).evaluate(labels, new NDList(student)).getFloat();
            assertEquals(expected, got, 1e-5);
        }
    }

    private static double[] softmax(float[] z, double temperature) {
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] / temperature);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void smokeRunOnRealDataWritesItsReport() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        TestData.require(DatasetCatalog.CIFAR10);
        Map<String, Double> s =
                new QuantizationLab()
                        .run(
                                new RunOptions()
                                        .epochs(1)
                                        .maxBatches(20)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp.resolve("run")),
                                new PrintStream(java.io.OutputStream.nullOutputStream()))
                        .summary();
        assertEquals(
                s.get("mlp_int8_per_channel_symmetric_accuracy"),
                s.get("mlp_int8_reloaded_accuracy"),
                "reload = in-memory int8");
        assertTrue(s.get("mlp_fp32_accuracy") > 0.5, "20 batches already learn something: " + s);
        for (String f :
                new String[] {"report.html", "run.json", "pruning.png", "mlp-int8.ndlist"}) {
            assertTrue(Files.size(tmp.resolve("run").resolve(f)) > 200, f);
        }
        // the real encoder under a linear probe: the same fp32 network in ONNX Runtime classifies
        // as DJL does, and both
        // int8 versions (dllab's, the publisher's) stay close; a transposed or mis-scaled
        // quantisation would not
        double fp32 = s.get("encoder_probe_fp32_accuracy");
        assertTrue(fp32 > 0.4, "a probe on 1,000 tweets: " + s);
        assertEquals(
                fp32,
                s.get("encoder_probe_onnx_fp32_accuracy"),
                0.005,
                "ONNX Runtime and DJL on the same weights");
        assertEquals(fp32, s.get("encoder_probe_int8_accuracy"), 0.02, "dllab's int8");
        assertEquals(fp32, s.get("encoder_probe_onnx_int8_accuracy"), 0.03, "the published int8");
        assertTrue(
                s.get("encoder_probe_int8_bytes") < 0.3 * s.get("encoder_probe_fp32_bytes"),
                "int8 storage: " + s);
        assertTrue(
                s.get("encoder_finetuned_int4_bytes") < 0.6 * s.get("encoder_finetuned_int8_bytes"),
                "int4 storage: " + s);
        try (var left = Files.list(tmp.resolve("run"))) {
            assertTrue(
                    left.noneMatch(f -> f.getFileName().toString().startsWith("onnx")),
                    "the copied .onnx files are removed");
        }
    }
}
