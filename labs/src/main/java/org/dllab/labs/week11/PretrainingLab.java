package org.dllab.labs.week11;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImageSet;
import org.dllab.data.ImdbReviews;
import org.dllab.data.Review;
import org.dllab.data.Split;
import org.dllab.data.TextCorpus;
import org.dllab.data.TextDatasets;
import org.dllab.labs.Lab;
import org.dllab.models.TextTransformer;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.LabOption;
import org.dllab.run.LabResult;
import org.dllab.run.LabRun;
import org.dllab.run.LoopCheckpoint;
import org.dllab.run.Plots;
import org.dllab.run.Progress;
import org.dllab.run.RunOptions;
import org.dllab.run.Schedules;
import org.dllab.run.TrainingInterrupt;
import org.dllab.text.TextCleaning;
import org.dllab.text.WordPieceVocabulary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Week 11: self-supervised pretraining, BERT-style. (1) A small Transformer encoder ({@link
 * TextTransformer}) learns to fill in masked tokens ({@link MaskedTokens}) of unlabelled text: the
 * IMDb training reviews with their labels thrown away, and Tiny Shakespeare — with SKEP's changes:
 * sentiment words ({@link SentimentWords}, mined from the unlabelled reviews with a few seed words)
 * are masked more often, and their polarity is predicted from the context; the result is saved as a
 * checkpoint. (2) For 100, 500 and 2,000 labelled reviews, the same network is trained for
 * sentiment from the checkpoint (fine-tuned, and as a linear probe on the frozen encoder) and from
 * random weights, with the same number of updates. The table and the plot show what pretraining
 * buys when labels are scarce.
 */
public final class PretrainingLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w11-pretraining";

    /**
     * Tokens per text: reviews are cut at 128 (attention costs grow with the square of the length).
     */
    public static final int MAX_LENGTH = 128;

    /** E. */
    public static final int EMBED = 64;

    /** Attention heads. */
    public static final int HEADS = 4;

    /** Encoder layers. */
    public static final int LAYERS = 2;

    /** Whole words in the vocabulary, built from the unlabelled text. */
    public static final int MAX_WORDS = 10_000;

    /**
     * Seed words for mining sentiment words (SKEP): ten each way, words anyone would name. They are
     * the only knowledge put in; no review's label is used in pretraining.
     */
    public static final List<String> POSITIVE_SEEDS =
            List.of(
                    "good",
                    "great",
                    "excellent",
                    "best",
                    "love",
                    "wonderful",
                    "amazing",
                    "perfect",
                    "beautiful",
                    "enjoyed");

    /** The negative seeds. */
    public static final List<String> NEGATIVE_SEEDS =
            List.of(
                    "bad",
                    "worst",
                    "awful",
                    "terrible",
                    "boring",
                    "waste",
                    "poor",
                    "horrible",
                    "stupid",
                    "worse");

    /**
     * Mined sentiment words kept at each end of the orientation scale (with the seeds, 7.8 % of the
     * reviews' tokens here).
     */
    public static final int SENTIMENT_WORDS = 200;

    /**
     * The chance that a sentiment word is chosen for masking (other tokens: BERT's 15 %): to fill
     * it in, the model has to work out the review's sentiment from the rest. 0 gives BERT's plain
     * masking and no polarity objective.
     */
    public static final double SENTIMENT_RATE = 0.5;

    /** Pretraining epochs over the unlabelled texts. */
    public static final int PRETRAIN_EPOCHS = 12;

    /** Words per Tiny Shakespeare piece: about a review's length. */
    public static final int SHAKESPEARE_WORDS = 120;

    /** Labelled reviews per fine-tuning run: the scarce, the middling and all of the subset's. */
    public static final int[] LABELS = {100, 500, 2000};

    /**
     * Fine-tuning updates, the same for every size: the small sets are seen many times, the full
     * set a few.
     */
    public static final int FINE_TUNE_STEPS = 250;

    /** Fine-tuning's step size (Adam), for both starting points. */
    public static final float FINE_TUNE_LR = 1e-3f;

    /** The linear probe's step size: one layer on fixed features takes larger steps. */
    public static final float PROBE_LR = 1e-2f;

    /** Pretraining's peak rate ({@code --lr}; cosine decay); fine-tuning uses FINE_TUNE_LR. */
    static final float PRETRAIN_LEARNING_RATE = 1e-3f;

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
        return "Self-supervised pretraining (masked language model) on unlabelled text, then sentiment with 100-2,000 labels";
    }

    @Override
    public Set<LabOption> options() {
        return LabOption.training(LabOption.RESUME);
    }

    @Override
    public LabResult run(LabRun run) throws Exception {
        RunOptions options = run.options();
        PrintStream log = run.log();
        Path runDir = run.dir();
        Device device = run.device();
        int batchSize = run.batchSize(32);
        float lr = run.learningRate(PRETRAIN_LEARNING_RATE);
        int pretrainEpochs = run.epochs(PRETRAIN_EPOCHS);
        Texts texts = texts(options, runDir, log);
        List<Review> train = texts.train();
        List<Review> test = texts.test();
        WordPieceVocabulary vocabulary = texts.vocabulary();
        SentimentWords words = texts.words();
        long[][] pretrainIds = texts.pretrainIds();
        long[][] pretrainMask = texts.pretrainMask();
        long[][] trainIds = texts.trainIds();
        long[][] trainMask = texts.trainMask();
        long[][] testIds = texts.testIds();
        long[][] testMask = texts.testMask();
        int unlabelledTexts = pretrainIds.length;
        run.record()
                .config("learning_rate", lr)
                .config("fine_tune_learning_rate", FINE_TUNE_LR)
                .config("pretrain_epochs", pretrainEpochs)
                .config("fine_tune_steps", FINE_TUNE_STEPS)
                .config("embed", EMBED)
                .config("heads", HEADS)
                .config("layers", LAYERS)
                .config("max_length", MAX_LENGTH)
                .config("unlabelled_texts", unlabelledTexts);
        Map<String, Double> summary = new LinkedHashMap<>();

        // 1. pretraining (its weights go to checkpoint/, where the fine-tuning runs load them)
        Path checkpoint = runDir.resolve("checkpoint");
        int vocabularySize = vocabulary.size();
        long maskId = vocabulary.id(WordPieceVocabulary.MASK);
        Pretrained pretrained =
                run.experiment(
                        "pretraining",
                        Pretrained.class,
                        () ->
                                pretrain(
                                        run,
                                        vocabularySize,
                                        maskId,
                                        words,
                                        pretrainIds,
                                        pretrainMask,
                                        pretrainEpochs,
                                        batchSize,
                                        lr,
                                        checkpoint));
        List<Double> mlmLoss = pretrained.mlmLoss();
        List<Double> polarityLoss = pretrained.polarityLoss();
        double pretrainSeconds = pretrained.seconds();
        summary.put("pretrain_final_loss", mlmLoss.get(mlmLoss.size() - 1));
        summary.put("pretrain_final_polarity_loss", polarityLoss.get(polarityLoss.size() - 1));
        summary.put("sentiment_words", words == null ? 0.0 : words.polarity().size());
        summary.put("pretrain_seconds", pretrainSeconds);

        // 2. fine-tuning, pretrained vs from scratch
        List<List<String>> rows = new ArrayList<>();
        XYChart chart =
                Plots.chart(
                        "Sentiment accuracy vs labelled reviews",
                        "labelled training reviews",
                        "test accuracy");
        List<Double> xs = new ArrayList<>();
        List<Double> pre = new ArrayList<>();
        List<Double> probed = new ArrayList<>();
        List<Double> scratch = new ArrayList<>();
        for (int n : LABELS) {
            int[] chosen = balancedSubset(train, Math.min(n, train.size()), options.seed());
            List<Review> trainReviews = train;
            List<Review> testReviews = test;
            double[] three =
                    run.experiment(
                            "labels-" + n,
                            double[].class,
                            () -> {
                                double[] out = new double[3];
                                int i = 0;
                                for (boolean fromCheckpoint : new boolean[] {true, true, false}) {
                                    boolean probe = i == 1;
                                    out[i++] =
                                            fineTune(
                                                    fromCheckpoint ? checkpoint : null,
                                                    probe,
                                                    vocabularySize,
                                                    chosen,
                                                    trainIds,
                                                    trainMask,
                                                    trainReviews,
                                                    testIds,
                                                    testMask,
                                                    testReviews,
                                                    batchSize,
                                                    probe ? PROBE_LR : FINE_TUNE_LR,
                                                    options,
                                                    device);
                                }
                                return out;
                            });
            double a = three[0];
            double p = three[1];
            double b = three[2];
            xs.add((double) chosen.length);
            pre.add(a);
            probed.add(p);
            scratch.add(b);
            rows.add(
                    List.of(
                            Integer.toString(chosen.length),
                            HtmlReport.pct(a),
                            HtmlReport.pct(p),
                            HtmlReport.pct(b),
                            String.format(Locale.ROOT, "%+.1f", 100 * (Math.max(a, p) - b))));
            summary.put("pretrained_" + n, a);
            summary.put("probe_" + n, p);
            summary.put("scratch_" + n, b);
            if (log != null) {
                log.printf(
                        "%,5d labelled reviews: pretrained, fine-tuned %.1f %%; pretrained, frozen encoder %.1f %%; from scratch %.1f %%%n",
                        chosen.length, 100 * a, 100 * p, 100 * b);
            }
        }
        chart.addSeries(
                words == null
                        ? "pretrained (masked LM), fine-tuned"
                        : "pretrained (masked LM, sentiment masking), fine-tuned",
                xs,
                pre);
        chart.addSeries("pretrained, frozen encoder (linear probe)", xs, probed);
        chart.addSeries("from scratch", xs, scratch);
        BitmapEncoder.saveBitmap(
                chart,
                runDir.resolve("labels-vs-accuracy.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
        report(run, pretrained, words, rows, pretrainEpochs, unlabelledTexts);
        return new LabResult(runDir, List.<EpochMetrics>of(), summary);
    }

    /**
     * What pretraining measured.
     *
     * @param mlmLoss masked-token loss per epoch
     * @param polarityLoss sentiment-word polarity loss per epoch (0 without sentiment masking)
     * @param seconds its time
     */
    record Pretrained(List<Double> mlmLoss, List<Double> polarityLoss, double seconds) {}

    /**
     * The pretraining loop's progress after an epoch, kept with the weights for {@code --resume}.
     *
     * @param epochs epochs done
     * @param mlmLoss masked-token loss per epoch so far
     * @param polarityLoss polarity loss per epoch so far
     * @param random the masking's random source ({@link LoopCheckpoint#encode})
     * @param seconds time so far
     */
    record PretrainingProgress(
            int epochs,
            List<Double> mlmLoss,
            List<Double> polarityLoss,
            String random,
            double seconds) {}

    /** Masked-language-model pretraining from the seed; the weights go to {@code checkpoint}. */
    private static Pretrained pretrain(
            LabRun run,
            int vocabularySize,
            long maskId,
            SentimentWords words,
            long[][] pretrainIds,
            long[][] pretrainMask,
            int pretrainEpochs,
            int batchSize,
            float lr,
            Path checkpoint)
            throws Exception {
        RunOptions options = run.options();
        Device device = run.device();
        PrintStream log = run.log();
        LoopCheckpoint<PretrainingProgress> saved =
                LoopCheckpoint.of(run, PretrainingProgress.class);
        PretrainingProgress resumed = saved.restore();
        int done = resumed == null ? 0 : resumed.epochs();
        List<Double> mlmLoss =
                resumed == null ? new ArrayList<>() : new ArrayList<>(resumed.mlmLoss());
        List<Double> polarityLoss =
                resumed == null ? new ArrayList<>() : new ArrayList<>(resumed.polarityLoss());
        double earlier = resumed == null ? 0 : resumed.seconds();
        int stepsPerEpoch = steps(pretrainIds.length, batchSize, options.maxBatches());
        Tracker schedule = Schedules.cosine(lr, pretrainEpochs * stepsPerEpoch);
        // a resumed run goes on along the schedule (the optimizer counts from 1 again)
        Tracker tracker =
                done == 0
                        ? schedule
                        : update -> schedule.getNewValue(update + done * stepsPerEpoch);
        long t0 = System.nanoTime();
        DjlRuntime.engine((int) options.seed());
        try (Model model = newModel(vocabularySize, device)) {
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adamW()
                                            .optLearningRateTracker(tracker)
                                            .optWeightDecays(0.01f)
                                            .optClipGrad(1f)
                                            .build())
                            .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, MAX_LENGTH), new Shape(1, MAX_LENGTH));
                Random random =
                        resumed == null
                                ? new Random(options.seed())
                                : LoopCheckpoint.decode(resumed.random());
                if (resumed != null) {
                    saved.restoreInto(model.getBlock());
                }
                for (int e = done + 1; e <= pretrainEpochs; e++) {
                    double[] loss =
                            pretrainEpoch(
                                    trainer,
                                    pretrainIds,
                                    pretrainMask,
                                    batchSize,
                                    options.maxBatches(),
                                    maskId,
                                    words,
                                    vocabularySize,
                                    random,
                                    Progress.start(
                                            "Pretrain " + e + "/" + pretrainEpochs,
                                            stepsPerEpoch,
                                            log));
                    mlmLoss.add(loss[0]);
                    polarityLoss.add(loss[1]);
                    if (log != null) {
                        log.printf(
                                "Pretraining epoch %d: masked-token loss %.3f (perplexity %.0f)%s%n",
                                e,
                                loss[0],
                                Math.exp(loss[0]),
                                words == null
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                ", sentiment-word polarity loss %.3f",
                                                loss[1]));
                    }
                    saved.save(
                            new PretrainingProgress(
                                    e,
                                    mlmLoss,
                                    polarityLoss,
                                    LoopCheckpoint.encode(random),
                                    earlier + (System.nanoTime() - t0) / 1e9),
                            LoopCheckpoint.arraysOf(model.getBlock()));
                }
            }
            model.save(checkpoint, "pretrained");
        }
        return new Pretrained(mlmLoss, polarityLoss, earlier + (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The texts, encoded: IMDb's labelled reviews, the unlabelled texts (IMDb's training reviews
     * without labels and Tiny Shakespeare pieces), the WordPiece vocabulary built from them, and
     * the sentiment words mined from them (SKEP).
     */
    record Texts(
            List<Review> train,
            List<Review> test,
            WordPieceVocabulary vocabulary,
            SentimentWords words,
            long[][] pretrainIds,
            long[][] pretrainMask,
            long[][] trainIds,
            long[][] trainMask,
            long[][] testIds,
            long[][] testMask) {}

    /** Loads, cleans and encodes the texts; writes the vocabulary and the sentiment words. */
    private static Texts texts(RunOptions options, Path runDir, PrintStream log) throws Exception {
        DataLocations data = DataLocations.fromEnvironment(options.dataDir(), options.offline());
        Path imdb = data.resolve(DatasetCatalog.IMDB, log);
        Path shakespeare = data.resolve(DatasetCatalog.TINY_SHAKESPEARE, log);
        List<Review> train = ImdbReviews.load(imdb, Split.TRAIN);
        List<Review> test = ImdbReviews.load(imdb, Split.TEST);
        if (options.limit() != null) {
            train =
                    TextDatasets.split(
                                    train,
                                    Math.min(0.999, options.limit() / (double) train.size()),
                                    options.seed())
                            .get(0);
            test =
                    TextDatasets.split(
                                    test,
                                    Math.min(0.999, options.limit() / (double) test.size()),
                                    options.seed())
                            .get(0);
        }
        List<String> unlabelled =
                new ArrayList<>(train.stream().map(r -> TextCleaning.clean(r.text())).toList());
        int reviews = unlabelled.size();
        unlabelled.addAll(
                pieces(
                        TextCorpus.loadTinyShakespeare(shakespeare),
                        SHAKESPEARE_WORDS,
                        options.limit()));
        WordPieceVocabulary vocabulary = WordPieceVocabulary.build(unlabelled, MAX_WORDS, 2);
        vocabulary.save(runDir, MAX_LENGTH);
        long[][] pretrainIds;
        long[][] pretrainMask;
        long[][] trainIds;
        long[][] trainMask;
        long[][] testIds;
        long[][] testMask;
        try (HuggingFaceTokenizer tok = vocabulary.tokenizer(MAX_LENGTH)) {
            long[][][] u = encode(tok, unlabelled);
            pretrainIds = u[0];
            pretrainMask = u[1];
            long[][][] tr =
                    encode(tok, train.stream().map(r -> TextCleaning.clean(r.text())).toList());
            trainIds = tr[0];
            trainMask = tr[1];
            long[][][] te =
                    encode(tok, test.stream().map(r -> TextCleaning.clean(r.text())).toList());
            testIds = te[0];
            testMask = te[1];
        }
        if (log != null) {
            log.printf(
                    "Unlabelled text: %,d IMDb training reviews (labels dropped) + %,d Tiny Shakespeare pieces; vocabulary %,d tokens%n",
                    reviews, unlabelled.size() - reviews, vocabulary.size());
        }
        SentimentWords words =
                SENTIMENT_RATE > 0
                        ? mineSentimentWords(
                                vocabulary,
                                java.util.Arrays.copyOf(pretrainIds, reviews),
                                java.util.Arrays.copyOf(pretrainMask, reviews))
                        : null;
        if (words != null) {
            List<String> lines = new ArrayList<>();
            words.orientation()
                    .forEach(
                            (id, so) ->
                                    lines.add(
                                            String.format(
                                                    Locale.ROOT,
                                                    "%s\t%+d\t%.2f",
                                                    vocabulary.token(id),
                                                    words.polarity().get(id),
                                                    so)));
            Files.write(runDir.resolve("sentiment-words.tsv"), lines);
            if (log != null) {
                StringBuilder positive = new StringBuilder();
                StringBuilder negative = new StringBuilder();
                words.orientation().keySet().stream()
                        .limit(30)
                        .forEach(
                                id ->
                                        (words.polarity().get(id) > 0 ? positive : negative)
                                                .append(' ')
                                                .append(vocabulary.token(id)));
                log.printf(
                        "Sentiment words mined from the unlabelled reviews with %d seed words (SKEP): %d; strongest positive:%s ...;"
                                + " strongest negative:%s ...%n",
                        POSITIVE_SEEDS.size() + NEGATIVE_SEEDS.size(),
                        words.polarity().size(),
                        positive,
                        negative);
            }
        }
        return new Texts(
                train,
                test,
                vocabulary,
                words,
                pretrainIds,
                pretrainMask,
                trainIds,
                trainMask,
                testIds,
                testMask);
    }

    /** The pretraining loss plot, the record's tables and the report. */
    private static void report(
            LabRun run,
            Pretrained pretrained,
            SentimentWords words,
            List<List<String>> rows,
            int pretrainEpochs,
            int unlabelledTexts)
            throws java.io.IOException {
        Path runDir = run.dir();
        PrintStream log = run.log();
        List<Double> mlmLoss = pretrained.mlmLoss();
        List<Double> polarityLoss = pretrained.polarityLoss();
        double pretrainSeconds = pretrained.seconds();
        XYChart lossChart =
                Plots.chart(
                        "Masked-language-model pretraining",
                        "epoch",
                        "loss (nats per masked token)");
        List<Double> epochs = new ArrayList<>();
        for (int i = 1; i <= mlmLoss.size(); i++) {
            epochs.add((double) i);
        }
        lossChart.addSeries("masked-token loss", epochs, mlmLoss);
        if (words != null) {
            lossChart.addSeries("sentiment-word polarity loss", epochs, polarityLoss);
        }
        BitmapEncoder.saveBitmap(
                lossChart,
                runDir.resolve("pretraining-loss.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);

        double wall = run.seconds();
        run.record()
                .result("pretraining_loss", mlmLoss)
                .result("polarity_loss", polarityLoss)
                .result("comparison", rows);
        run.save();
        new HtmlReport("Week 11: self-supervised pretraining")
                .paragraph(
                        String.format(
                                Locale.ROOT,
                                "A %d-layer, %d-head encoder (E = %d) pretrained %d epochs as a masked language model on %,d"
                                        + " unlabelled texts (%.0f s; final masked-token loss %.2f), %s, saved in checkpoint/, then fine-tuned for sentiment"
                                        + " with %d updates per run, from the checkpoint and from random weights. %.0f s in all.",
                                LAYERS,
                                HEADS,
                                EMBED,
                                pretrainEpochs,
                                unlabelledTexts,
                                pretrainSeconds,
                                mlmLoss.get(mlmLoss.size() - 1),
                                words == null
                                        ? "BERT's masking"
                                        : String.format(
                                                Locale.ROOT,
                                                "with SKEP's sentiment masking and word-polarity objective (%d sentiment words mined"
                                                        + " with %d seed words, listed in sentiment-words.tsv)",
                                                words.polarity().size(),
                                                POSITIVE_SEEDS.size() + NEGATIVE_SEEDS.size()),
                                FINE_TUNE_STEPS,
                                wall))
                .table(
                        List.of(
                                "labelled reviews",
                                "pretrained, fine-tuned",
                                "pretrained, frozen encoder",
                                "from scratch",
                                "best pretrained - scratch (points)"),
                        rows)
                .image(
                        "Test accuracy against the number of labelled reviews",
                        runDir.resolve("labels-vs-accuracy.png"))
                .image("Pretraining loss per epoch", runDir.resolve("pretraining-loss.png"))
                .write(runDir);
        if (log != null) {
            log.printf("%.0f s in all. Run folder: %s%n", wall, runDir.toAbsolutePath());
        }
    }

    private static Model newModel(int vocabularySize, Device device) {
        Model model = Model.newInstance(ID, device);
        model.setBlock(
                TextTransformer.pretrainable(vocabularySize, MAX_LENGTH, EMBED, HEADS, LAYERS));
        return model;
    }

    private static int steps(int examples, int batchSize, long maxBatches) {
        int perEpoch = (examples + batchSize - 1) / batchSize;
        return maxBatches > 0 ? (int) Math.min(perEpoch, maxBatches) : perEpoch;
    }

    /**
     * One pass of masked-token prediction over the texts in a random order; with {@code words},
     * sentiment words are masked more often and the model also predicts their polarity from the
     * context (SKEP). Returns the mean masked-token loss and the mean polarity loss per batch (0
     * without words).
     */
    static double[] pretrainEpoch(
            Trainer trainer,
            long[][] ids,
            long[][] mask,
            int batchSize,
            long maxBatches,
            long maskId,
            SentimentWords words,
            int vocabularySize,
            Random random,
            Progress bar) {
        int[] order = ImageSet.permutation(ids.length, random.nextLong());
        int batches = steps(ids.length, batchSize, maxBatches);
        double tokenSum = 0;
        double polaritySum = 0;
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(ids.length, from + batchSize);
            long[] flatIds = new long[(to - from) * MAX_LENGTH];
            long[] flatMask = new long[flatIds.length];
            for (int i = from; i < to; i++) {
                System.arraycopy(ids[order[i]], 0, flatIds, (i - from) * MAX_LENGTH, MAX_LENGTH);
                System.arraycopy(mask[order[i]], 0, flatMask, (i - from) * MAX_LENGTH, MAX_LENGTH);
            }
            MaskedTokens masked =
                    words == null
                            ? MaskedTokens.choose(
                                    flatIds,
                                    flatMask,
                                    WordPieceVocabulary.FIRST_ORDINARY_ID,
                                    maskId,
                                    vocabularySize,
                                    random)
                            : MaskedTokens.choose(
                                    flatIds,
                                    flatMask,
                                    WordPieceVocabulary.FIRST_ORDINARY_ID,
                                    maskId,
                                    vocabularySize,
                                    random,
                                    words.polarity().keySet(),
                                    SENTIMENT_RATE);
            try (NDManager m = trainer.getManager().newSubManager();
                    GradientCollector gc = trainer.newGradientCollector()) {
                Shape shape = new Shape(to - from, MAX_LENGTH);
                NDList input =
                        new NDList(
                                m.create(masked.ids(), shape),
                                m.create(flatMask, shape),
                                m.create(masked.positions()));
                NDList out = trainer.forward(input);
                NDArray loss =
                        trainer.getLoss()
                                .evaluate(
                                        new NDList(m.create(masked.targets())),
                                        new NDList(out.get(0)));
                tokenSum += loss.getFloat();
                NDArray polarityLoss =
                        words == null
                                ? null
                                : polarityLoss(
                                        trainer.getLoss(), out.get(1), masked.targets(), words, m);
                if (polarityLoss != null) {
                    polaritySum += polarityLoss.getFloat();
                    loss = loss.add(polarityLoss);
                }
                gc.backward(loss);
            }
            trainer.step();
            TrainingInterrupt.check(); // a signal stops the run here, between steps
            if (bar != null) {
                bar.update(b + 1, String.format(Locale.ROOT, "loss %.3f", tokenSum / (b + 1)));
            }
        }
        if (bar != null) {
            bar.end();
        }
        return new double[] {tokenSum / Math.max(1, batches), polaritySum / Math.max(1, batches)};
    }

    /**
     * SKEP's word-polarity objective: the trainer's cross-entropy between the polarity logits (N,
     * 2) at the masked positions whose original token is a sentiment word and that word's mined
     * polarity (1 positive, 0 negative); null when no such position is masked.
     */
    static NDArray polarityLoss(
            Loss loss, NDArray logits, long[] targets, SentimentWords words, NDManager m) {
        List<Long> rows = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (int k = 0; k < targets.length; k++) {
            Integer p = words.polarity().get(targets[k]);
            if (p != null) {
                rows.add((long) k);
                labels.add(p > 0 ? 1L : 0L);
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        NDArray picked = logits.get(m.create(rows.stream().mapToLong(Long::longValue).toArray()));
        return loss.evaluate(
                new NDList(m.create(labels.stream().mapToLong(Long::longValue).toArray())),
                new NDList(picked));
    }

    /**
     * Mines sentiment words from the reviews' token ids with the seed words that are in the
     * vocabulary.
     */
    static SentimentWords mineSentimentWords(
            WordPieceVocabulary vocabulary, long[][] ids, long[][] mask) {
        long[] positive =
                POSITIVE_SEEDS.stream().mapToLong(vocabulary::id).filter(id -> id >= 0).toArray();
        long[] negative =
                NEGATIVE_SEEDS.stream().mapToLong(vocabulary::id).filter(id -> id >= 0).toArray();
        // whole words of three or more letters: punctuation, numbers and word pieces carry no
        // sentiment of their own
        java.util.function.LongPredicate word =
                id -> {
                    String t = vocabulary.token(id);
                    return t != null && t.length() >= 3 && t.chars().allMatch(Character::isLetter);
                };
        return SentimentWords.mine(
                ids,
                mask,
                WordPieceVocabulary.FIRST_ORDINARY_ID,
                positive,
                negative,
                word,
                Math.max(2, Math.min(10, ids.length / 20)),
                SENTIMENT_WORDS);
    }

    /**
     * Fine-tunes for {@link #FINE_TUNE_STEPS} updates from the checkpoint (or from random weights
     * when null); with {@code probe} only the classifier layer trains (the pretrained encoder and
     * embeddings stay frozen). Returns test accuracy.
     */
    private static double fineTune(
            Path checkpoint,
            boolean probe,
            int vocabularySize,
            int[] chosen,
            long[][] trainIds,
            long[][] trainMask,
            List<Review> train,
            long[][] testIds,
            long[][] testMask,
            List<Review> test,
            int batchSize,
            float lr,
            RunOptions options,
            Device device)
            throws Exception {
        DjlRuntime.engine((int) options.seed());
        try (Model model = newModel(vocabularySize, device)) {
            if (checkpoint != null) {
                model.load(checkpoint, "pretrained");
            }
            Optimizer adam =
                    Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(lr))
                            .optClipGrad(1f)
                            .build();
            DefaultTrainingConfig config =
                    ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(), adam, device);
            try (Trainer trainer = model.newTrainer(config);
                    NDManager data = model.getNDManager().newSubManager()) {
                trainer.initialize(new Shape(1, MAX_LENGTH), new Shape(1, MAX_LENGTH));
                if (probe) {
                    model.getBlock().freezeParameters(true);
                    model.getBlock().getParameters().get("class_w").freeze(false);
                    model.getBlock().getParameters().get("class_b").freeze(false);
                }
                List<long[]> ids = new ArrayList<>();
                int[] labels = new int[chosen.length];
                for (int i = 0; i < chosen.length; i++) {
                    ids.add(real(trainIds[chosen[i]], trainMask[chosen[i]]));
                    labels[i] = train.get(chosen[i]).label();
                }
                ArrayDataset trainSet =
                        TextDatasets.classification(
                                data, ids, labels, MAX_LENGTH, 0, batchSize, true);
                List<long[]> tIds = new ArrayList<>();
                for (int i = 0; i < testIds.length; i++) {
                    tIds.add(real(testIds[i], testMask[i]));
                }
                ArrayDataset testSet =
                        TextDatasets.classification(
                                data,
                                tIds,
                                test.stream().mapToInt(Review::label).toArray(),
                                MAX_LENGTH,
                                0,
                                batchSize,
                                false);
                int budget =
                        options.maxBatches() > 0 ? (int) options.maxBatches() : FINE_TUNE_STEPS;
                int done = 0;
                while (done < budget) {
                    try (NDManager pass = data.newSubManager()) {
                        for (Batch batch : trainSet.getData(pass)) {
                            try (batch) {
                                EasyTrain.trainBatch(trainer, batch);
                                if (probe) {
                                    probeStep(model, adam);
                                    TrainingInterrupt
                                            .check(); // a signal stops the run here, between steps
                                } else {
                                    trainer.step();
                                    TrainingInterrupt
                                            .check(); // a signal stops the run here, between steps
                                }
                            }
                            if (++done == budget) {
                                break;
                            }
                        }
                    }
                }
                long correct = 0;
                try (NDManager pass = data.newSubManager()) {
                    for (Batch batch : testSet.getData(pass)) {
                        try (batch) {
                            NDArray logits = trainer.evaluate(batch.getData()).singletonOrThrow();
                            correct +=
                                    logits.argMax(1)
                                            .eq(batch.getLabels().singletonOrThrow())
                                            .sum()
                                            .getLong();
                        }
                    }
                }
                return correct / (double) testIds.length;
            }
        }
    }

    /**
     * The optimizer's update of the trainable (classifier) parameters, then their gradients
     * cleared. Not {@code trainer.step()}: DJL's first step refuses gradients that sum to exactly
     * zero, and a two-class softmax layer's gradients do (each row of the weight gradient and the
     * bias gradient sum to 0), so it fails by chance.
     */
    private static void probeStep(Model model, Optimizer optimizer) {
        for (ai.djl.nn.Parameter p : model.getBlock().getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray w = p.getArray();
                NDArray g = w.getGradient();
                try (NDArray copy = g.duplicate()) {
                    optimizer.update(p.getId(), w, copy);
                }
                g.subi(g);
            }
        }
    }

    private static long[] real(long[] ids, long[] mask) {
        int n = 0;
        while (n < mask.length && mask[n] == 1) {
            n++;
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /** Indices of n reviews, half positive and half negative, in a seeded random order. */
    static int[] balancedSubset(List<Review> reviews, int n, long seed) {
        int[] perm = ImageSet.permutation(reviews.size(), seed);
        int[] out = new int[n];
        int pos = 0;
        int neg = 0;
        int k = 0;
        for (int i : perm) {
            boolean positive = reviews.get(i).positive();
            if (positive && pos < (n + 1) / 2 || !positive && neg < n / 2) {
                out[k++] = i;
                if (positive) {
                    pos++;
                } else {
                    neg++;
                }
                if (k == n) {
                    break;
                }
            }
        }
        return k == n ? out : java.util.Arrays.copyOf(out, k);
    }

    /**
     * Cuts a text into pieces of about {@code words} words (at most {@code limit} pieces when
     * non-null).
     */
    static List<String> pieces(String text, int words, Integer limit) {
        String[] w = text.split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0;
                i + words <= w.length && (limit == null || out.size() < limit);
                i += words) {
            out.add(String.join(" ", java.util.Arrays.asList(w).subList(i, i + words)));
        }
        return out;
    }

    private static long[][][] encode(HuggingFaceTokenizer tok, List<String> texts) {
        long[][] ids = new long[texts.size()][];
        long[][] mask = new long[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            Encoding e = tok.encode(texts.get(i));
            ids[i] = e.getIds();
            mask[i] = e.getAttentionMask();
        }
        return new long[][][] {ids, mask};
    }
}
