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
import org.dllab.data.Review;
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
import org.dllab.text.ImdbCorpus;
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

    /** Tokens per review, [CLS] and [SEP] included: the subset's reviews average 315; 256 keeps 56 % of them whole. */
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

        ImdbCorpus corpus = ImdbCorpus.load(options, MAX_LENGTH, MAX_WORDS, runDir, log);
        List<Review> train = corpus.train();
        List<Review> test = corpus.test();
        WordPieceVocabulary vocab = corpus.vocabulary();
        EncodedTexts trainEnc = corpus.trainEncoded();
        EncodedTexts testEnc = corpus.testEncoded();
        String stats = corpus.statistics();
        if (log != null) {
            log.printf("IMDb from %s: %d train, %d test reviews; %s%n", corpus.folder(), train.size(), test.size(), stats);
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
                    ArrayDataset trainDs = corpus.dataset(data, true, batchSize, true);
                    ArrayDataset testDs = corpus.dataset(data, false, batchSize, false);
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
}
