package org.dllab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real all-MiniLM-L6-v2 in DJL/PyTorch against ONNX Runtime running the same .onnx file (an
 * independent implementation of every operator), and a meaning check that shuffled weights could
 * not pass.
 */
class BertEncoderTest {

    static final List<String> SENTENCES =
            List.of(
                    "The cat sits on the mat.",
                    "A cat is sitting on a rug.",
                    "Stock markets fell sharply today.",
                    "I loved this movie, it was wonderful!",
                    "What a great film, I enjoyed it a lot.",
                    "The weather forecast predicts heavy rain.");

    static BertEncoder encoder;
    static HuggingFaceTokenizer tokenizer;

    @TempDir static Path tmp;

    @BeforeAll
    static void load() throws IOException {
        DjlRuntime.engine(42);
        encoder = BertEncoder.allMiniLmL6V2(Device.cpu());
        try (InputStream in = BertEncoder.class.getResourceAsStream(BertEncoder.MINILM_TOKENIZER)) {
            tokenizer =
                    HuggingFaceTokenizer.newInstance(
                            in, Map.of("padding", "true", "maxLength", "128"));
        }
    }

    @AfterAll
    static void close() {
        encoder.close();
        tokenizer.close();
    }

    private static NDArray[] batch(NDManager m) {
        Encoding[] enc = tokenizer.batchEncode(SENTENCES);
        int t = enc[0].getIds().length;
        long[] ids = new long[SENTENCES.size() * t];
        long[] types = new long[ids.length];
        long[] mask = new long[ids.length];
        for (int i = 0; i < enc.length; i++) {
            System.arraycopy(enc[i].getIds(), 0, ids, i * t, t);
            System.arraycopy(enc[i].getTypeIds(), 0, types, i * t, t);
            System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * t, t);
        }
        Shape s = new Shape(SENTENCES.size(), t);
        return new NDArray[] {m.create(ids, s), m.create(types, s), m.create(mask, s)};
    }

    @Test
    void loadsTheRealModel() {
        BertEncoder.Config c = encoder.config();
        assertEquals(new BertEncoder.Config(6, 384, 12, 1536, 30522, 512), c);
        // all-MiniLM-L6-v2's 22,713,216 parameters less the pooler's 147,840, which the export (and
        // sentence-transformers) leave out
        assertEquals(22_565_376, encoder.parameters());
    }

    @Test
    void lastHiddenStateEqualsOnnxRuntimeOnTheSameFile() throws Exception {
        Path onnx = tmp.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = BertEncoder.class.getResourceAsStream(BertEncoder.MINILM_ONNX)) {
            Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
        }
        float[] ours;
        float[] reference;
        long[] mask;
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray[] in = batch(m);
            ours = encoder.forward(m, in[0], in[1], in[2]).toFloatArray();
            mask = in[2].toLongArray();
        }
        try (Model ort = Model.newInstance("minilm", Device.cpu(), "OnnxRuntime")) {
            ort.load(tmp, "all-minilm-l6-v2");
            try (Predictor<NDList, NDList> p = ort.newPredictor(new NoopTranslator());
                    NDManager m = ort.getNDManager().newSubManager()) {
                NDArray[] in = batch(m);
                in[0].setName("input_ids");
                in[1].setName("token_type_ids");
                in[2].setName("attention_mask");
                NDList out = p.predict(new NDList(in[0], in[2], in[1]));
                reference = out.get(0).toFloatArray();
            }
        }
        assertEquals(reference.length, ours.length);
        int hidden = 384;
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            if (mask[i / hidden]
                    == 1) { // pad positions are not compared: what a pad's state is does not matter
                maxDiff = Math.max(maxDiff, Math.abs(ours[i] - reference[i]));
            }
        }
        assertTrue(
                maxDiff <= 1e-4,
                "max |DJL - ONNX Runtime| over real tokens = " + maxDiff); // measured: 3.3e-6
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray maskArray =
                    m.create(mask, new Shape(SENTENCES.size(), mask.length / SENTENCES.size()));
            Shape hiddenShape = new Shape(SENTENCES.size(), mask.length / SENTENCES.size(), hidden);
            NDArray a = BertEncoder.meanPooled(m.create(ours, hiddenShape), maskArray);
            NDArray r = BertEncoder.meanPooled(m.create(reference, hiddenShape), maskArray);
            float minCosine = a.mul(r).sum(new int[] {1}).min().getFloat();
            assertTrue(
                    minCosine >= 0.9999f,
                    "sentence embeddings' cosine with ONNX Runtime's: " + minCosine);
        }
    }

    @Test
    void embeddingsKnowWhatSentencesMean() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray[] in = batch(m);
            NDArray e = BertEncoder.meanPooled(encoder.forward(m, in[0], in[1], in[2]), in[2]);
            float[][] sim = new float[SENTENCES.size()][];
            NDArray s = e.matMul(e.transpose());
            for (int i = 0; i < sim.length; i++) {
                sim[i] = s.get(i).toFloatArray();
            }
            // paraphrase pairs (0,1) and (3,4): cosine 0.77 and 0.78 here; every cross pair below
            // 0.15
            for (int[] pair : new int[][] {{0, 1}, {3, 4}}) {
                for (int other = 0; other < sim.length; other++) {
                    if (other != pair[0] && other != pair[1]) {
                        assertTrue(
                                sim[pair[0]][pair[1]] > sim[pair[0]][other] + 0.2f,
                                SENTENCES.get(pair[0])
                                        + " vs "
                                        + SENTENCES.get(other)
                                        + ": "
                                        + java.util.Arrays.toString(sim[pair[0]]));
                    }
                }
            }
        }
    }

    @Test
    void aMissingOrMisshapenTensorIsNamed() {
        OnnxInitializers.Tensor bias =
                new OnnxInitializers.Tensor(
                        "encoder.layer.0.attention.self.query.bias", new long[] {3}, new float[3]);
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                BertEncoder.fromOnnx(
                                        new OnnxInitializers.Graph(
                                                Map.of(
                                                        "embeddings.word_embeddings.weight",
                                                        new OnnxInitializers.Tensor(
                                                                "embeddings.word_embeddings.weight",
                                                                new long[] {10, 4},
                                                                new float[40]),
                                                        bias.name(),
                                                        bias),
                                                Map.of()),
                                        Device.cpu()));
        assertTrue(
                e.getMessage().contains("encoder.layer.0.intermediate.dense.bias"), e.getMessage());
        IOException notOnnx =
                assertThrows(
                        IOException.class,
                        () ->
                                OnnxInitializers.read(
                                        new java.io.ByteArrayInputStream(
                                                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}),
                                        "junk.onnx"));
        assertTrue(notOnnx.getMessage().contains("junk.onnx"), notOnnx.getMessage());
    }

    @Test
    void huggingFaceCheckpointsRoundTripWithTheirNamingVariants() throws IOException {
        BertEncoder.Config small = new BertEncoder.Config(2, 32, 4, 64, 100, 40);
        Path folder = tmp.resolve("hf");
        try (BertEncoder original = BertEncoder.random(small, 7, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            original.saveHuggingFace(folder);
            NDArray ids = m.create(new long[] {2, 5, 9, 3, 0, 2, 7, 3, 0, 0}, new Shape(2, 5));
            NDArray types = m.zeros(new Shape(2, 5), ai.djl.ndarray.types.DataType.INT64);
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 0, 1, 1, 1, 0, 0}, new Shape(2, 5));
            float[] expected = original.forward(m, ids, types, mask).toFloatArray();
            try (BertEncoder loaded = BertEncoder.fromHuggingFace(folder, Device.cpu())) {
                assertEquals(small, loaded.config());
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        expected, loaded.forward(m, ids, types, mask).toFloatArray(), 1e-6f);
            }
            // a BertForSequenceClassification-style file: "bert." prefixes, LayerNorm gamma/beta, a
            // classifier to ignore
            NDList list;
            try (InputStream in = Files.newInputStream(folder.resolve("model.safetensors"))) {
                list = NDList.decode(m, in);
            }
            NDList renamed = new NDList();
            for (NDArray a : list) {
                NDArray c = a.duplicate();
                c.setName(
                        "bert."
                                + a.getName()
                                        .replace("LayerNorm.weight", "LayerNorm.gamma")
                                        .replace("LayerNorm.bias", "LayerNorm.beta"));
                renamed.add(c);
            }
            NDArray classifier = m.zeros(new Shape(6, 32));
            classifier.setName("classifier.weight");
            renamed.add(classifier);
            Path variant = Files.createDirectories(tmp.resolve("variant"));
            Files.copy(folder.resolve("config.json"), variant.resolve("config.json"));
            try (java.io.OutputStream out =
                    Files.newOutputStream(variant.resolve("model.safetensors"))) {
                renamed.encode(out, NDList.Encoding.SAFETENSORS);
            }
            try (BertEncoder loaded = BertEncoder.fromHuggingFace(variant, Device.cpu())) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        expected, loaded.forward(m, ids, types, mask).toFloatArray(), 1e-6f);
            }
            // one tensor missing: the error names the file and the tensor
            NDList missing = new NDList();
            list.stream()
                    .filter(a -> !a.getName().equals("encoder.layer.1.output.dense.bias"))
                    .forEach(missing::add);
            Path broken = Files.createDirectories(tmp.resolve("broken"));
            Files.copy(folder.resolve("config.json"), broken.resolve("config.json"));
            try (java.io.OutputStream out =
                    Files.newOutputStream(broken.resolve("model.safetensors"))) {
                missing.encode(out, NDList.Encoding.SAFETENSORS);
            }
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> BertEncoder.fromHuggingFace(broken, Device.cpu()));
            assertTrue(
                    e.getMessage().contains("model.safetensors")
                            && e.getMessage().contains("encoder.layer.1.output.dense.bias"),
                    e.getMessage());
            Files.writeString(broken.resolve("model.safetensors"), "not safetensors");
            assertThrows(
                    IOException.class, () -> BertEncoder.fromHuggingFace(broken, Device.cpu()));
        }
    }

    @Test
    void loraStartsAsThePretrainedModelTrainsOnlyAdaptersAndMergesExactly() throws Exception {
        BertEncoder.Config small = new BertEncoder.Config(2, 32, 4, 64, 100, 40);
        try (BertEncoder enc = BertEncoder.random(small, 3, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray ids = m.create(new long[] {2, 5, 9, 3, 2, 7, 3, 0}, new Shape(2, 4));
            NDArray types = m.zeros(new Shape(2, 4), ai.djl.ndarray.types.DataType.INT64);
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 4));
            float[] base = enc.forward(m, ids, types, mask).toFloatArray();
            enc.addLora(4, 8f, 1);
            assertEquals(
                    2L * 2 * (32 * 4 + 4 * 32),
                    enc.trainableParameters(),
                    "adapters on query and value only");
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    base, enc.forward(m, ids, types, mask).toFloatArray(), 0f, "B starts at zero");
            ai.djl.training.optimizer.Optimizer sgd =
                    ai.djl.training.optimizer.Optimizer.sgd()
                            .setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0.5f))
                            .build();
            NDArray direction =
                    m.randomNormal(
                            new Shape(
                                    2, 4, 32)); // a loss whose gradient survives the last LayerNorm
            for (int step = 0; step < 3; step++) {
                try (ai.djl.training.GradientCollector gc =
                        ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    gc.backward(enc.forward(m, ids, types, mask).mul(direction).sum());
                }
                enc.step(sgd);
            }
            float[] adapted = enc.forward(m, ids, types, mask).toFloatArray();
            assertTrue(maxAbs(adapted, base) > 1e-4, "the adapters learned something");
            enc.mergeLora();
            assertEquals(0, enc.trainableParameters());
            float[] merged = enc.forward(m, ids, types, mask).toFloatArray();
            assertTrue(
                    maxAbs(merged, adapted) < 1e-5, "merged = adapted: " + maxAbs(merged, adapted));
        }
    }

    @Test
    void loraTargetsEveryProjectionOrSaysWhichNamesExist() {
        BertEncoder.Config small = new BertEncoder.Config(2, 32, 4, 64, 100, 40);
        try (BertEncoder enc = BertEncoder.random(small, 3, Device.cpu())) {
            enc.addLora(4, 8f, 1, java.util.Set.of("q", "k", "v", "o", "ffn"));
            long attention = 4L * (32 * 4 + 4 * 32);
            long ffn = (32 * 4 + 4 * 64) + (64 * 4 + 4 * 32); // 32 -> 64 and 64 -> 32
            assertEquals(2 * (attention + ffn), enc.trainableParameters());
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> enc.addLora(4, 8f, 1, java.util.Set.of("query")));
            assertTrue(
                    e.getMessage().contains("'query'")
                            && e.getMessage().contains("[ffn, k, o, q, v]"),
                    e.getMessage());
        }
    }

    @Test
    void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() throws Exception {
        // the attention scale and the LoRA scale are constants autograd keeps for the backward pass
        // (see Scalars)
        for (boolean lora : new boolean[] {false, true}) {
            Map<String, float[]> calm = gradients(lora, false);
            Map<String, float[]> collected = gradients(lora, true);
            assertEquals(calm.keySet(), collected.keySet());
            for (String name : calm.keySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        calm.get(name),
                        collected.get(name),
                        0f,
                        name
                                + (lora ? " (LoRA)" : "")
                                + ": the gradient changed when the JVM collected garbage before backward");
            }
        }
    }

    /**
     * Gradients of one loss on a small random encoder, optionally with a garbage collection before
     * the backward pass.
     */
    private static Map<String, float[]> gradients(boolean lora, boolean collectGarbage)
            throws InterruptedException {
        Map<String, float[]> out = new java.util.TreeMap<>();
        try (BertEncoder enc =
                        BertEncoder.random(
                                new BertEncoder.Config(2, 32, 4, 64, 100, 40), 5, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            if (lora) {
                enc.addLora(4, 8f, 1);
            } else {
                enc.setTrainable(true);
            }
            NDArray ids = m.create(new long[] {2, 5, 9, 3, 2, 7, 3, 0}, new Shape(2, 4));
            NDArray types = m.zeros(new Shape(2, 4), ai.djl.ndarray.types.DataType.INT64);
            NDArray mask = m.create(new long[] {1, 1, 1, 1, 1, 1, 1, 0}, new Shape(2, 4));
            java.util.Random random = new java.util.Random(9);
            float[] values = new float[2 * 4 * 32];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            NDArray direction = m.create(values, new Shape(2, 4, 32));
            try (ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray loss = enc.forward(m, ids, types, mask).mul(direction).sum();
                if (collectGarbage) {
                    System.gc();
                    Thread.sleep(5);
                    for (int i = 0; i < 2000; i++) {
                        java.nio.ByteBuffer.allocateDirect(4).putFloat(0, 1e30f);
                    }
                }
                gc.backward(loss);
            }
            ai.djl.training.optimizer.Optimizer recorder =
                    new ai.djl.training.optimizer.Optimizer(
                            ai.djl.training.optimizer.Optimizer.sgd()
                                    .setLearningRateTracker(
                                            ai.djl.training.tracker.Tracker.fixed(0f))) {
                        @Override
                        public void update(String name, NDArray weight, NDArray grad) {
                            out.put(name, grad.toFloatArray());
                        }
                    };
            enc.step(recorder);
        }
        return out;
    }

    private static double maxAbs(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
