package org.dllab.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImdbReviews;
import org.dllab.data.Review;
import org.dllab.data.Split;
import org.dllab.data.TextDatasets;
import org.dllab.run.RunOptions;

/**
 * IMDb through the whole text pipeline, as the language labs use it: reviews loaded and cleaned, a
 * WordPiece vocabulary built from the training reviews (and its {@code tokenizer.json} saved in the
 * run folder), every review encoded to a fixed length with its mask.
 *
 * @param folder where the reviews were found
 * @param train training reviews
 * @param test test reviews
 * @param vocabulary the WordPiece vocabulary
 * @param trainEncoded the encoded training reviews
 * @param testEncoded the encoded test reviews
 * @param maxLength tokens per review
 */
public record ImdbCorpus(
        Path folder,
        List<Review> train,
        List<Review> test,
        WordPieceVocabulary vocabulary,
        EncodedTexts trainEncoded,
        EncodedTexts testEncoded,
        int maxLength)
        implements SentimentCorpus {

    /**
     * Tokens per review, [CLS] and [SEP] included: the subset's reviews average 315; 256 keeps 56 %
     * of them whole.
     */
    public static final int MAX_LENGTH = 256;

    /** Whole words in the vocabulary (rarer words are split into pieces). */
    public static final int MAX_WORDS = 10_000;

    /**
     * Loads, cleans, builds the vocabulary and encodes.
     *
     * @param options {@code --data-dir}, {@code --offline}, {@code --limit} (training reviews),
     *     {@code --seed}
     * @param maxLength tokens per review, [CLS] and [SEP] included
     * @param maxWords whole words in the vocabulary
     * @param runDir where {@code tokenizer.json} goes
     * @param log progress, or null
     * @return the corpus
     * @throws IOException when the data are missing or broken
     */
    public static ImdbCorpus load(
            RunOptions options, int maxLength, int maxWords, Path runDir, PrintStream log)
            throws IOException {
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.IMDB, log);
        List<Review> train = ImdbReviews.load(folder, Split.TRAIN);
        List<Review> test = ImdbReviews.load(folder, Split.TEST);
        if (options.limit() != null) {
            train =
                    TextDatasets.split(
                                    train,
                                    Math.min(1.0, options.limit() / (double) train.size()),
                                    options.seed())
                            .get(0);
        }
        List<String> trainText = train.stream().map(r -> TextCleaning.clean(r.text())).toList();
        List<String> testText = test.stream().map(r -> TextCleaning.clean(r.text())).toList();
        WordPieceVocabulary vocab = WordPieceVocabulary.build(trainText, maxWords, 2);
        vocab.save(runDir, maxLength);
        try (HuggingFaceTokenizer tok = vocab.tokenizer(maxLength);
                HuggingFaceTokenizer full = vocab.untruncatedTokenizer()) {
            long unk = vocab.id(WordPieceVocabulary.UNK);
            return new ImdbCorpus(
                    folder,
                    train,
                    test,
                    vocab,
                    EncodedTexts.encode(tok, full, trainText, unk),
                    EncodedTexts.encode(tok, full, testText, unk),
                    maxLength);
        }
    }

    @Override
    public String title() {
        return "IMDb, WordPiece";
    }

    @Override
    public int size(Part part) {
        return switch (part) {
            case TRAIN -> train.size();
            case VALIDATION -> 0;
            case TEST -> test.size();
        };
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public double meanTokens() {
        return trainEncoded.meanTokens();
    }

    @Override
    public double truncatedFraction() {
        return trainEncoded.truncatedFraction();
    }

    @Override
    public double testUnknownRate() {
        return testEncoded.unknownRate();
    }

    @Override
    public ArrayDataset dataset(NDManager m, Part part, int batchSize, boolean shuffle) {
        if (part == Part.VALIDATION) {
            throw new IllegalArgumentException("the IMDb labs keep no validation part");
        }
        return dataset(m, part == Part.TRAIN, batchSize, shuffle);
    }

    /** The last test review (a positive one), from its start. */
    @Override
    public Sample sample(int length) throws IOException {
        String review = TextCleaning.clean(test.get(test.size() - 1).text());
        try (HuggingFaceTokenizer tok = vocabulary.tokenizer(length)) {
            Encoding e = tok.encode(review);
            return new Sample(e.getTokens(), e.getIds(), e.getAttentionMask());
        }
    }

    @Override
    public String statistics() {
        return String.format(
                Locale.ROOT,
                "vocabulary %,d entries (%,d whole words); training reviews: %.0f tokens on average,"
                        + " 95th percentile %d, %.0f %% cut at %d; test: %.2f %% of tokens unknown",
                vocabulary.size(),
                vocabulary.words(),
                trainEncoded.meanTokens(),
                trainEncoded.p95Tokens(),
                100 * trainEncoded.truncatedFraction(),
                maxLength,
                100 * testEncoded.unknownRate());
    }

    /**
     * A dataset of (ids, mask) with the sentiment as label.
     *
     * @param m owns the arrays
     * @param training the training reviews, or the test reviews
     * @param batchSize batch size
     * @param shuffle random order each epoch
     * @return the dataset
     */
    public ArrayDataset dataset(NDManager m, boolean training, int batchSize, boolean shuffle) {
        EncodedTexts enc = training ? trainEncoded : testEncoded;
        List<Review> reviews = training ? train : test;
        List<long[]> ids = new ArrayList<>(enc.ids().size());
        for (int i = 0; i < enc.ids().size(); i++) {
            long real = Arrays.stream(enc.masks().get(i)).sum();
            ids.add(
                    Arrays.copyOf(
                            enc.ids().get(i),
                            (int) real)); // the dataset pads again and derives the mask
        }
        return TextDatasets.classification(
                m,
                ids,
                reviews.stream().mapToInt(Review::label).toArray(),
                maxLength,
                0,
                batchSize,
                shuffle);
    }
}
