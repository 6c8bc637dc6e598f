package org.dllab.models;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.EmotionTweets;
import org.dllab.data.TextDatasets;
import org.dllab.models.SequenceClassifier.Examples;
import org.dllab.run.RunOptions;

/**
 * The emotion tweets as MiniLM token ids, as weeks 11 and 13 use them: a seeded sample of the
 * training tweets (the label budget), the official validation and test tweets, truncated, unpadded.
 *
 * @param train the sampled training tweets
 * @param validation the 2,000 validation tweets
 * @param test the 2,000 test tweets
 * @param available training tweets in the dataset
 */
public record EmotionSplits(Examples train, Examples validation, Examples test, int available) {

    /**
     * Finds the dataset (the run's data rules), samples and tokenises.
     *
     * @param options data folder, offline, seed
     * @param budget training tweets to keep (all when at least the dataset's size)
     * @param maxTokens tokens per tweet, [CLS] and [SEP] included
     * @param log progress, or null
     * @return the splits
     * @throws IOException when the data cannot be found or read
     */
    public static EmotionSplits load(RunOptions options, int budget, int maxTokens, PrintStream log)
            throws IOException {
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.EMOTION, log);
        List<EmotionTweets.Tweet> all = EmotionTweets.load(folder, EmotionTweets.Part.TRAIN);
        List<EmotionTweets.Tweet> train =
                budget >= all.size()
                        ? all
                        : TextDatasets.split(all, budget / (double) all.size(), options.seed())
                                .get(0);
        EmotionSplits splits;
        try (HuggingFaceTokenizer tok =
                BertEncoder.miniLmTokenizer(
                        Map.of(
                                "truncation",
                                "true",
                                "maxLength",
                                String.valueOf(maxTokens),
                                "padding",
                                "false"))) {
            splits =
                    new EmotionSplits(
                            encode(tok, train),
                            encode(tok, EmotionTweets.load(folder, EmotionTweets.Part.VALIDATION)),
                            encode(tok, EmotionTweets.load(folder, EmotionTweets.Part.TEST)),
                            all.size());
        }
        if (log != null) {
            log.printf(
                    Locale.ROOT,
                    "emotion from %s: %d of %,d training tweets (seeded sample), %d validation, %d test; %.1f tokens per tweet on average%n",
                    folder,
                    splits.train().labels().length,
                    all.size(),
                    splits.validation().labels().length,
                    splits.test().labels().length,
                    splits.train().meanLength());
        }
        return splits;
    }

    /**
     * For smoke runs ({@code --max-batches}): the validation and test tweets cut to that many
     * batches.
     *
     * @param maxBatches batches to keep (0: all, this object returned)
     * @param batch tweets per batch
     * @return the splits, validation and test cut
     */
    public EmotionSplits smoke(long maxBatches, int batch) {
        if (maxBatches <= 0) {
            return this;
        }
        int n = (int) Math.min(test.labels().length, maxBatches * batch);
        return new EmotionSplits(train, validation.first(n), test.first(n), available);
    }

    private static Examples encode(HuggingFaceTokenizer tok, List<EmotionTweets.Tweet> tweets) {
        return Examples.encode(tok, EmotionTweets.texts(tweets), EmotionTweets.labels(tweets));
    }
}
