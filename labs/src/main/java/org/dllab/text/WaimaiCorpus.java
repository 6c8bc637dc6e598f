package org.dllab.text;

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
import org.dllab.data.Review;
import org.dllab.data.TextDatasets;
import org.dllab.data.WaimaiReviews;
import org.dllab.run.RunOptions;

/**
 * waimai_10k through the Chinese pipeline: the seeded stratified split ({@link
 * WaimaiReviews#split}), every review normalised (Traditional → Simplified, full-width → ASCII) and
 * cut into jieba words or characters ({@link ChineseText}), a {@link TokenVocabulary} from the
 * training reviews only (its {@code vocabulary.txt} saved in the run folder), ids cut at {@link
 * #maxLength()}.
 *
 * @param folder where the CSV was found
 * @param unit words or characters
 * @param parts the split (train already cut to {@code --limit})
 * @param vocabulary the vocabulary
 * @param ids the encoded reviews of each part, in {@link Part} order, unpadded
 * @param tokenCounts tokens per training review before truncation
 * @param maxLength tokens per review
 * @param testUnknownRate share of test tokens that are {@code <unk>}
 */
public record WaimaiCorpus(
        Path folder,
        ChineseText.Unit unit,
        WaimaiReviews.Parts parts,
        TokenVocabulary vocabulary,
        List<List<long[]>> ids,
        int[] tokenCounts,
        int maxLength,
        double testUnknownRate)
        implements SentimentCorpus {

    /**
     * The course notebook's waimai_10k test accuracy (jieba words, BiLSTM), quoted by the week-8
     * and week-10 reports.
     */
    public static final double COURSE_BILSTM_TEST_ACCURACY = 0.860;

    /**
     * Words per review: 1.1 % of the training reviews are longer (measured; 95th percentile 46
     * words).
     */
    public static final int MAX_WORDS_PER_REVIEW = 80;

    /**
     * Characters per review: 0.9 % of the training reviews are longer (measured; 95th percentile
     * 69, the longest 463).
     */
    public static final int MAX_CHARACTERS_PER_REVIEW = 128;

    /**
     * A token needs two training occurrences for its own id: a word seen once teaches its embedding
     * nothing.
     */
    public static final int MIN_COUNT = 2;

    /**
     * Vocabulary cap; it does not bind: the 9,590 training reviews have 4,812 words (1,913
     * characters) seen twice.
     */
    public static final int MAX_TOKENS = 20_000;

    /**
     * Loads, splits, tokenises, builds the vocabulary and encodes.
     *
     * @param options {@code --data-dir}, {@code --offline}, {@code --limit} (training reviews),
     *     {@code --seed} (the split)
     * @param unit words or characters
     * @param runDir where {@code vocabulary.txt} goes
     * @param log progress, or null
     * @return the corpus
     * @throws IOException when the data are missing or broken
     */
    public static WaimaiCorpus load(
            RunOptions options, ChineseText.Unit unit, Path runDir, PrintStream log)
            throws IOException {
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.WAIMAI, log);
        WaimaiReviews.Parts parts = WaimaiReviews.split(WaimaiReviews.load(folder), options.seed());
        if (options.limit() != null && options.limit() < parts.train().size()) {

            List<Review> train =
                    TextDatasets.split(
                                    parts.train(),
                                    options.limit() / (double) parts.train().size(),
                                    options.seed())
                            .get(0);
            parts = new WaimaiReviews.Parts(train, parts.validation(), parts.test());
        }
        int maxLength =
                unit == ChineseText.Unit.WORDS ? MAX_WORDS_PER_REVIEW : MAX_CHARACTERS_PER_REVIEW;
        List<List<String>> trainTokens = tokens(parts.train(), unit);
        TokenVocabulary vocab = TokenVocabulary.build(trainTokens, MIN_COUNT, MAX_TOKENS);
        vocab.save(runDir.resolve("vocabulary.txt"));
        List<List<long[]>> ids = new ArrayList<>();
        long unknown = 0;
        long total = 0;
        for (List<List<String>> part :
                List.of(
                        trainTokens,
                        tokens(parts.validation(), unit),
                        tokens(parts.test(), unit))) {
            List<long[]> encoded = new ArrayList<>(part.size());
            for (List<String> t : part) {
                encoded.add(vocab.encode(t, maxLength));
            }
            ids.add(encoded);
        }
        for (long[] seq : ids.get(2)) {
            total += seq.length;
            unknown += Arrays.stream(seq).filter(id -> id == TokenVocabulary.UNK_ID).count();
        }
        return new WaimaiCorpus(
                folder,
                unit,
                parts,
                vocab,
                ids,
                trainTokens.stream().mapToInt(List::size).toArray(),
                maxLength,
                total == 0 ? 0 : unknown / (double) total);
    }

    private static List<List<String>> tokens(List<Review> reviews, ChineseText.Unit unit) {
        return reviews.stream().map(r -> ChineseText.tokens(r.text(), unit)).toList();
    }

    private List<Review> reviews(Part part) {
        return switch (part) {
            case TRAIN -> parts.train();
            case VALIDATION -> parts.validation();
            case TEST -> parts.test();
        };
    }

    @Override
    public String title() {
        return "waimai_10k, " + (unit == ChineseText.Unit.WORDS ? "jieba words" : "characters");
    }

    @Override
    public int size(Part part) {
        return reviews(part).size();
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    @Override
    public double meanTokens() {
        return Arrays.stream(tokenCounts).average().orElse(0);
    }

    @Override
    public double truncatedFraction() {
        return Arrays.stream(tokenCounts).filter(n -> n > maxLength).count()
                / (double) Math.max(1, tokenCounts.length);
    }

    @Override
    public String statistics() {
        int[] sorted = tokenCounts.clone();
        Arrays.sort(sorted);
        int p95 = sorted.length == 0 ? 0 : sorted[(int) Math.round(0.95 * (sorted.length - 1))];
        return String.format(
                Locale.ROOT,
                "split %d/%d/%d (seeded, stratified); vocabulary %,d %s (seen %d+ times); training reviews:"
                        + " %.1f tokens on average, 95th percentile %d, %.1f %% cut at %d; test: %.2f %% of tokens <unk>",
                size(Part.TRAIN),
                size(Part.VALIDATION),
                size(Part.TEST),
                vocabulary.size(),
                unit == ChineseText.Unit.WORDS ? "words" : "characters",
                MIN_COUNT,
                meanTokens(),
                p95,
                100 * truncatedFraction(),
                maxLength,
                100 * testUnknownRate);
    }

    @Override
    public ArrayDataset dataset(NDManager m, Part part, int batchSize, boolean shuffle) {
        int[] labels = reviews(part).stream().mapToInt(Review::label).toArray();
        return TextDatasets.classification(
                m,
                ids.get(part.ordinal()),
                labels,
                maxLength,
                TokenVocabulary.PAD_ID,
                batchSize,
                shuffle);
    }

    /**
     * The first positive test review of 12 or more tokens that fits the length whole (a readable
     * heat map). A token the vocabulary lacks is shown with a trailing {@code *} (its id is {@code
     * <unk>}'s).
     */
    @Override
    public Sample sample(int length) {
        List<Review> test = parts.test();
        int pick = 0;
        for (int i = 0; i < test.size(); i++) {
            int n = ids.get(2).get(i).length;
            if (test.get(i).positive() && n >= Math.min(12, length) && n <= length) {
                pick = i;
                break;
            }
        }
        List<String> tokens = ChineseText.tokens(test.get(pick).text(), unit);
        String[] text = new String[length];
        long[] id = new long[length];
        long[] mask = new long[length];
        for (int t = 0; t < length; t++) {
            boolean real = t < tokens.size();
            id[t] = real ? vocabulary.id(tokens.get(t)) : TokenVocabulary.PAD_ID;
            text[t] =
                    real
                            ? (id[t] == TokenVocabulary.UNK_ID
                                    ? tokens.get(t) + "*"
                                    : tokens.get(t))
                            : TokenVocabulary.PAD;
            mask[t] = real ? 1 : 0;
        }
        return new Sample(text, id, mask);
    }
}
