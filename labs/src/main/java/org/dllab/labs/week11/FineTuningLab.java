package org.dllab.labs.week11;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dllab.data.EmotionTweets;
import org.dllab.labs.Lab;
import org.dllab.models.BertEncoder;
import org.dllab.models.EmotionSplits;
import org.dllab.models.SequenceClassifier;
import org.dllab.models.SequenceClassifier.Head;
import org.dllab.models.SequenceClassifier.Trained;
import org.dllab.models.SequenceClassifier.Training;
import org.dllab.run.ClassMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.Pictures;
import org.dllab.run.RunOptions;

/**
 * Week 11: fine-tuning a pretrained encoder, the course's homework-3 task. The real
 * all-MiniLM-L6-v2 ({@link BertEncoder}) classifies the emotion of tweets (six classes, imbalanced)
 * from a small labelled budget, three ways: a <b>linear probe</b> on its frozen mean-pooled states,
 * <b>LoRA</b> adapters on the query and value projections (0.3 % of the weights trained), <b>full
 * fine-tuning</b> of every weight plus the head, and the same architecture trained <b>from random
 * initialisation</b> with the same budget and steps. Accuracy and macro-F1 on the official test
 * tweets, per-class precision/recall/F1 and a confusion matrix for the fine-tuned model. Batches
 * are sorted by length (the tweets average 22 tokens) and padded to their longest, with a mask.
 */
public final class FineTuningLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w11-finetuning";

    /**
     * Labelled training tweets ({@code --limit}): the course's small-budget setting; 16,000 is the
     * whole set.
     */
    public static final int BUDGET = 1_000;

    /**
     * Epochs of fine-tuning ({@code --epochs}); the test figures are the best validation epoch's.
     */
    public static final int EPOCHS = 4;

    /**
     * AdamW's rate for full fine-tuning and from scratch ({@code --lr}; LoRA keeps its own): 1e-4,
     * as small budgets need more than BERT's usual 2e-5.
     */
    public static final float LEARNING_RATE = 1e-4f;

    /** Tweets per batch ({@code --batch-size}). */
    public static final int BATCH = 32;

    /**
     * Tokens per tweet, [CLS] and [SEP] included: tweets average 22.4 tokens (measured), so 64 cuts
     * only the long tail.
     */
    public static final int MAX_TOKENS = 64;

    /**
     * LoRA: rank 8 on the query and value projections, alpha 16 (scale 2), AdamW at 1e-3 (adapters
     * start at zero).
     */
    static final int LORA_RANK = 8;

    static final float LORA_ALPHA = 16f;
    static final float LORA_LR = 1e-3f;

    /**
     * The probe's full-batch Adam steps and rate: a convex problem on 384 features, it converges
     * well within them.
     */
    static final int PROBE_STEPS = 300;

    static final float PROBE_LR = 1e-2f;

    private static final int HIDDEN = 384;
    private static final int CLASSES = EmotionTweets.LABELS.size();
    private static final long HEAD_PARAMETERS = (long) HIDDEN * CLASSES + CLASSES;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 11;
    }

    @Override
    public String title() {
        return "Fine-tuning a real pretrained encoder (all-MiniLM-L6-v2) on emotion: linear probe vs full fine-tuning vs from scratch";
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.RESUME);
    }

    /**
     * What one of the four models measured.
     *
     * @param row its line of the report's table
     * @param test its test figures
     * @param figures its entries of the summary
     */
    record Measured(List<String> row, ClassMetrics test, Map<String, Double> figures) {}

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        int budget = options.limit() == null ? BUDGET : options.limit();
        int epochs = run.epochs(EPOCHS);
        int batch = run.batchSize(BATCH);
        float lr = run.learningRate(LEARNING_RATE);
        EmotionSplits splits =
                EmotionSplits.load(options, budget, MAX_TOKENS, log)
                        .smoke(
                                options.maxBatches(),
                                64); // a smoke run scores 64 tweets a batch cap
        run.record()
                .config("model", "all-MiniLM-L6-v2")
                .config("budget", splits.train().labels().length)
                .config("batch_size", batch)
                .config("max_tokens", MAX_TOKENS);
        Training training = new Training(epochs, batch, lr, options.seed(), options.maxBatches());
        Training lora = new Training(epochs, batch, LORA_LR, options.seed(), options.maxBatches());
        List<Measured> models = new ArrayList<>();
        try (NDManager root = NDManager.newBaseManager(device)) {
            models.add(
                    run.experiment(
                            "a-linear-probe",
                            Measured.class,
                            () -> linearProbe(splits, batch, root, device, log)));
            models.add(
                    run.experiment(
                            "b-lora",
                            Measured.class,
                            () -> lora(splits, lora, options.seed(), root, device, log)));
            models.add(
                    run.experiment(
                            "c-full-fine-tuning",
                            Measured.class,
                            () -> fullFineTuning(splits, training, root, device, log, run)));
            models.add(
                    run.experiment(
                            "d-from-scratch",
                            Measured.class,
                            () -> fromScratch(splits, training, root, device, log)));
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        models.forEach(m -> summary.putAll(m.figures()));
        List<List<String>> rows = models.stream().map(Measured::row).toList();
        report(run, models.get(2).test(), rows, splits.train().labels().length, lr, batch, epochs);
        return new LabResult(runDir, List.of(), summary);
    }

    /** (A) The pretrained encoder frozen, a softmax layer on its mean-pooled states. */
    private static Measured linearProbe(
            EmotionSplits splits, int batch, NDManager root, Device device, PrintStream log)
            throws Exception {
        try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(device)) {
            long t0 = System.nanoTime();
            Head probeHead = Head.create(root, HIDDEN, CLASSES);
            SequenceClassifier.linearProbe(
                    encoder, probeHead, root, splits.train(), batch, PROBE_STEPS, PROBE_LR);
            ClassMetrics probe =
                    SequenceClassifier.evaluate(
                            encoder, probeHead, root, splits.test(), batch, CLASSES);
            if (log != null) {
                log.printf(
                        "Linear probe: test accuracy %.1f %%, macro-F1 %.1f %%%n",
                        100 * probe.accuracy(), 100 * probe.macroF1());
            }
            return new Measured(
                    row(
                            "linear probe (frozen pretrained encoder)",
                            probe,
                            0,
                            probeHead.parameters(),
                            (System.nanoTime() - t0) / 1e9),
                    probe,
                    Map.of(
                            "probe_test_accuracy",
                            probe.accuracy(),
                            "probe_test_macro_f1",
                            probe.macroF1()));
        }
    }

    /** (B) LoRA adapters on the frozen encoder's query and value projections, then merged. */
    private static Measured lora(
            EmotionSplits splits,
            Training how,
            long seed,
            NDManager root,
            Device device,
            PrintStream log)
            throws Exception {
        try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(device)) {
            long t0 = System.nanoTime();
            encoder.addLora(LORA_RANK, LORA_ALPHA, seed);
            long loraParams = encoder.trainableParameters() + HEAD_PARAMETERS;
            Trained lo = fineTune(encoder, false, splits, how, "LoRA", root, log);
            List<String> row =
                    row(
                            "LoRA r=8 on query/value (pretrained, frozen base)",
                            lo.test(),
                            lo.epoch(),
                            loraParams,
                            (System.nanoTime() - t0) / 1e9);
            double mergeDifference =
                    SequenceClassifier.mergeAndCompare(
                            encoder, root, splits.validation(), how.batch());
            if (log != null) {
                log.printf(
                        "LoRA: %,d trainable parameters (%.2f %% of the encoder); merged into the weights, the pooled states change by"
                                + " at most %.1e%n",
                        loraParams, 100.0 * loraParams / encoder.parameters(), mergeDifference);
            }
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("lora_test_accuracy", lo.test().accuracy());
            figures.put("lora_test_macro_f1", lo.test().macroF1());
            figures.put("lora_trainable_parameters", (double) loraParams);
            figures.put("lora_merge_max_difference", mergeDifference);
            return new Measured(row, lo.test(), figures);
        }
    }

    /** (C) Every weight of the pretrained encoder and the head. */
    private static Measured fullFineTuning(
            EmotionSplits splits,
            Training how,
            NDManager root,
            Device device,
            PrintStream log,
            LabRun run)
            throws Exception {
        try (BertEncoder encoder = BertEncoder.allMiniLmL6V2(device)) {
            long t0 = System.nanoTime();
            Trained ft = fineTune(encoder, true, splits, how, "fine-tuning", root, log);
            run.record().result("finetuned_validation_accuracy", ft.validation());
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("finetuned_seconds_per_step", ft.secondsPerStep());
            figures.put("finetuned_test_accuracy", ft.test().accuracy());
            figures.put("finetuned_test_macro_f1", ft.test().macroF1());
            return new Measured(
                    row(
                            "full fine-tuning (pretrained)",
                            ft.test(),
                            ft.epoch(),
                            encoder.parameters() + HEAD_PARAMETERS,
                            (System.nanoTime() - t0) / 1e9),
                    ft.test(),
                    figures);
        }
    }

    /** (D) The same architecture and training from BERT's random initialisation. */
    private static Measured fromScratch(
            EmotionSplits splits, Training how, NDManager root, Device device, PrintStream log)
            throws Exception {
        try (BertEncoder scratch =
                BertEncoder.random(
                        new BertEncoder.Config(6, 384, 12, 1536, 30522, 512), how.seed(), device)) {
            long t0 = System.nanoTime();
            Trained sc = fineTune(scratch, true, splits, how, "from scratch", root, log);
            return new Measured(
                    row(
                            "same architecture from random initialisation",
                            sc.test(),
                            sc.epoch(),
                            scratch.parameters() + HEAD_PARAMETERS,
                            (System.nanoTime() - t0) / 1e9),
                    sc.test(),
                    Map.of(
                            "scratch_test_accuracy",
                            sc.test().accuracy(),
                            "scratch_test_macro_f1",
                            sc.test().macroF1()));
        }
    }

    /** Trains a head on the encoder (and the encoder with it, or only its adapters). */
    private static Trained fineTune(
            BertEncoder encoder,
            boolean everyWeight,
            EmotionSplits splits,
            Training how,
            String name,
            NDManager root,
            PrintStream log) {
        return SequenceClassifier.fineTune(
                encoder,
                everyWeight,
                Head.create(root, HIDDEN, CLASSES),
                root,
                splits.train(),
                splits.validation(),
                splits.test(),
                how,
                name,
                log);
    }

    /** The confusion matrix, the per-class table and the report. */
    private static void report(
            LabRun run,
            ClassMetrics fineTuned,
            List<List<String>> rows,
            int labelled,
            float lr,
            int batch,
            int epochs)
            throws java.io.IOException {
        Path runDir = run.dir();
        PrintStream log = run.log();
        Pictures.confusionMatrix(
                fineTuned.confusion(),
                EmotionTweets.LABELS,
                "Fine-tuned MiniLM on the emotion test tweets",
                runDir.resolve("confusion.png"));
        List<List<String>> perClass = new ArrayList<>();
        for (int c = 0; c < EmotionTweets.LABELS.size(); c++) {
            perClass.add(
                    List.of(
                            EmotionTweets.LABELS.get(c),
                            HtmlReport.pct(fineTuned.precision()[c]),
                            HtmlReport.pct(fineTuned.recall()[c]),
                            HtmlReport.pct(fineTuned.f1()[c]),
                            String.valueOf(Arrays.stream(fineTuned.confusion()[c]).sum())));
        }
        run.record().result("models", rows).result("per_class", perClass);
        run.save();
        new HtmlReport("Week 11: fine-tuning a pretrained encoder on emotion")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "all-MiniLM-L6-v2 (6 layers, hidden 384, 22.6 M parameters, real weights) on %d labelled"
                                        + " tweets; AdamW %s, batch %d, %d epochs, test figures at the best validation epoch; the linear probe trains a"
                                        + " softmax layer on the frozen mean-pooled states.",
                                labelled,
                                lr,
                                batch,
                                epochs))
                .table(
                        List.of(
                                "model",
                                "test accuracy",
                                "test macro-F1",
                                "tested epoch",
                                "trained parameters",
                                "seconds"),
                        rows)
                .table(
                        List.of("class (fine-tuned)", "precision", "recall", "F1", "test tweets"),
                        perClass)
                .image(
                        "Confusion matrix of the fine-tuned model on the test tweets",
                        runDir.resolve("confusion.png"))
                .write(runDir);
        if (log != null) {
            rows.forEach(
                    r ->
                            log.printf(
                                    "  %-50s accuracy %s, macro-F1 %s (epoch %s, %s trained, %s s)%n",
                                    r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)));
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
    }

    private static List<String> row(
            String name, ClassMetrics m, int epoch, long trained, double seconds) {
        return List.of(
                name,
                HtmlReport.pct(m.accuracy()),
                HtmlReport.pct(m.macroF1()),
                epoch == 0 ? "-" : String.valueOf(epoch),
                String.format(Locale.ROOT, "%,d", trained),
                String.format(Locale.ROOT, "%.0f", seconds));
    }
}
