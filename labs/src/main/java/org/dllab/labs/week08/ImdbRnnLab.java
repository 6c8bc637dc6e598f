package org.dllab.labs.week08;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.core.Devices;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImdbReviews;
import org.dllab.data.Review;
import org.dllab.data.Split;
import org.dllab.data.TextDatasets;
import org.dllab.labs.Lab;
import org.dllab.labs.LabResult;
import org.dllab.labs.week05.MnistMlp;
import org.dllab.run.ClassifierTraining;
import org.dllab.run.EpochMetrics;
import org.dllab.run.HtmlReport;
import org.dllab.run.Plots;
import org.dllab.run.RunOptions;
import org.dllab.run.RunRecord;
import org.dllab.text.EncodedTexts;
import org.dllab.text.TextCleaning;
import org.dllab.text.WordPieceVocabulary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Week 8: sentiment of IMDb reviews with an embedding bag, an RNN, an LSTM, a GRU and a bidirectional LSTM, all on
 * the same WordPiece tokens (a vocabulary built from the training reviews), with padding handled through the mask
 * ({@link SentimentNet}). A table of accuracy, parameters and time per model, and their test-accuracy curves.
 */
public final class ImdbRnnLab implements Lab {

    /** The lab's id on the command line. */
    public static final String ID = "w08-imdb-rnn";

    /** Epochs per model: on 2,000 reviews the recurrent models have learned what they will by then. */
    public static final int EPOCHS = 8;

    /** Tokens per review, [CLS] and [SEP] included: the median review is about 230 tokens. */
    public static final int MAX_LENGTH = 256;

    /** Word-vector size: small, as 2,000 reviews cannot fit a large table. */
    public static final int EMBED = 64;

    /** Recurrent state size. */
    public static final int HIDDEN = 64;

    /** Whole words in the vocabulary (rarer words are split into pieces). */
    public static final int MAX_WORDS = 10_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int week() {
        return 8;
    }

    @Override
    public String title() {
        return "IMDb sentiment: embedding bag vs RNN, LSTM, GRU, BiLSTM on WordPiece tokens, padding masked";
    }

    @Override
    public LabResult run(RunOptions options, PrintStream out) throws Exception {
        PrintStream log = options.quiet() ? null : out;
        DjlRuntime.engine((int) options.seed());
        Path runDir = options.outputOr(ID);
        Files.createDirectories(runDir);
        Device device = Devices.parse(options.device());
        int epochs = options.epochsOr(EPOCHS);
        int batchSize = options.batchSizeOr(32);
        float lr = options.learningRateOr(2e-3f);
        long start = System.nanoTime();

        Path folder = DataLocations.fromEnvironment(options.dataDir(), options.offline()).resolve(DatasetCatalog.IMDB, log);
        List<Review> train = ImdbReviews.load(folder, Split.TRAIN);
        List<Review> test = ImdbReviews.load(folder, Split.TEST);
        if (options.limit() != null) {
            train = TextDatasets.split(train, Math.min(1.0, options.limit() / (double) train.size()), options.seed()).get(0);
        }
        List<String> trainText = train.stream().map(r -> TextCleaning.clean(r.text())).toList();
        List<String> testText = test.stream().map(r -> TextCleaning.clean(r.text())).toList();
        WordPieceVocabulary vocab = WordPieceVocabulary.build(trainText, MAX_WORDS, 2);
        vocab.save(runDir, MAX_LENGTH);
        EncodedTexts trainEnc;
        EncodedTexts testEnc;
        try (HuggingFaceTokenizer tok = vocab.tokenizer(MAX_LENGTH); HuggingFaceTokenizer full = vocab.untruncatedTokenizer()) {
            trainEnc = EncodedTexts.encode(tok, full, trainText, vocab.id(WordPieceVocabulary.UNK));
            testEnc = EncodedTexts.encode(tok, full, testText, vocab.id(WordPieceVocabulary.UNK));
        }
        String stats = String.format(Locale.ROOT, "vocabulary %,d entries (%,d whole words); training reviews: %.0f tokens on average,"
                        + " 95th percentile %d, %.0f %% cut at %d; test: %.2f %% of tokens unknown",
                vocab.size(), vocab.words(), trainEnc.meanTokens(), trainEnc.p95Tokens(), 100 * trainEnc.truncatedFraction(), MAX_LENGTH,
                100 * testEnc.unknownRate());
        if (log != null) {
            log.printf("IMDb from %s: %d train, %d test reviews; %s%n", folder, train.size(), test.size(), stats);
        }
        RunRecord record = new RunRecord(ID, options.seed(), device.toString()).config("epochs", epochs).config("batch_size", batchSize)
                .config("learning_rate", lr).config("max_length", MAX_LENGTH).config("embed", EMBED).config("hidden", HIDDEN)
                .config("train_examples", train.size()).config("test_examples", test.size())
                .result("vocabulary_size", vocab.size()).result("mean_tokens", trainEnc.meanTokens())
                .result("truncated_fraction", trainEnc.truncatedFraction()).result("test_unknown_rate", testEnc.unknownRate());

        Map<String, Double> summary = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        XYChart chart = Plots.chart("Test accuracy per epoch", "epoch", "accuracy");
        List<EpochMetrics> all = new ArrayList<>();
        for (SentimentNet.Kind kind : SentimentNet.Kind.values()) {
            DjlRuntime.engine((int) options.seed());
            List<EpochMetrics> ms = new ArrayList<>();
            long t0 = System.nanoTime();
            long params;
            try (Model model = Model.newInstance(ID + "-" + kind, device)) {
                model.setBlock(new SentimentNet(kind, vocab.size(), EMBED, HIDDEN));
                DefaultTrainingConfig config = ClassifierTraining.config(Loss.softmaxCrossEntropyLoss(),
                        Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).optClipGrad(1f).build(), device);
                try (Trainer trainer = model.newTrainer(config); NDManager data = model.getNDManager().newSubManager()) {
                    trainer.initialize(new Shape(1, MAX_LENGTH), new Shape(1, MAX_LENGTH));
                    params = MnistMlp.countParameters(model.getBlock());
                    if (log != null) {
                        log.printf("%s: %,d parameters%n", kind, params);
                    }
                    ArrayDataset trainDs = dataset(data, trainEnc, train, batchSize, true);
                    ArrayDataset testDs = dataset(data, testEnc, test, batchSize, false);
                    new ClassifierTraining(trainer, batchSize, options.maxBatches(), log).fit(trainDs, testDs, epochs, ms::add);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            EpochMetrics last = ms.get(ms.size() - 1);
            double best = ms.stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(0);
            rows.add(List.of(kind.name(), String.format(Locale.ROOT, "%,d", params), HtmlReport.pct(last.testAccuracy()), HtmlReport.pct(best),
                    HtmlReport.pct(last.trainAccuracy()), String.format(Locale.ROOT, "%.0f", seconds)));
            String key = kind.name().toLowerCase(Locale.ROOT);
            summary.put(key + "_test_accuracy", last.testAccuracy());
            summary.put(key + "_best_test_accuracy", best);
            summary.put(key + "_parameters", (double) params);
            summary.put(key + "_seconds", seconds);
            record.result(key, ms);
            chart.addSeries(kind.name(), ms.stream().mapToDouble(EpochMetrics::epoch).toArray(),
                    ms.stream().mapToDouble(EpochMetrics::testAccuracy).toArray());
            all.addAll(ms);
            record.write(runDir);
            if (log != null) {
                log.printf("  %-7s test %.1f %% (best %.1f %%), train %.1f %%, %.0f s%n", kind, 100 * last.testAccuracy(), 100 * best,
                        100 * last.trainAccuracy(), seconds);
            }
        }
        try (OutputStream png = Files.newOutputStream(runDir.resolve("accuracy.png"))) {
            BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        record.result("models", rows).finish("completed", wall, 0);
        record.write(runDir);
        new HtmlReport("Week 8: recurrent networks on IMDb")
                .paragraph(String.format(Locale.ROOT, "%d training and %d test reviews, %d epochs per model, Adam %s, batch %d; %s.",
                        train.size(), test.size(), epochs, lr, batchSize, stats))
                .table(List.of("model", "parameters", "final test accuracy", "best epoch", "final train accuracy", "seconds"), rows)
                .image("Test accuracy per epoch", runDir.resolve("accuracy.png"))
                .write(runDir);
        summary.put("wall_seconds", wall);
        if (log != null) {
            log.println("Run folder: " + runDir.toAbsolutePath());
        }
        return new LabResult(runDir, all, summary);
    }

    /** Token ids with their real length (the pads stripped: the dataset pads again and derives the mask). */
    private static ArrayDataset dataset(NDManager m, EncodedTexts enc, List<Review> reviews, int batchSize, boolean shuffle) {
        List<long[]> ids = new ArrayList<>(enc.ids().size());
        for (int i = 0; i < enc.ids().size(); i++) {
            long real = java.util.Arrays.stream(enc.masks().get(i)).sum();
            ids.add(java.util.Arrays.copyOf(enc.ids().get(i), (int) real));
        }
        int[] labels = reviews.stream().mapToInt(Review::label).toArray();
        return TextDatasets.classification(m, ids, labels, MAX_LENGTH, 0, batchSize, shuffle);
    }
}
