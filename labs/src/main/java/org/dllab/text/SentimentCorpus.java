package org.dllab.text;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.dllab.run.RunOptions;

/**
 * A two-class sentiment dataset run through its text pipeline, as weeks 8 and 10 use it: every
 * review encoded to ids with its mask, the same padding guarantees whatever the language ({@code
 * <pad>}/{@code [PAD]} = 0 at the end, mask 1 on real tokens only). {@code --dataset} picks one of
 * {@link #DATASETS}.
 */
public interface SentimentCorpus {

    /**
     * {@code --dataset} values, the default first: English IMDb (WordPiece), waimai_10k by jieba
     * words, by characters.
     */
    List<String> DATASETS = List.of("imdb", "waimai", "waimai-chars");

    /** A part of the data. */
    enum Part {
        /** What the model learns from. */
        TRAIN,
        /**
         * What the per-epoch curves watch, where the dataset has one (waimai); never the reported
         * figure.
         */
        VALIDATION,
        /**
         * Touched for the reported figures (IMDb has no validation part in the labs: its curves
         * watch this).
         */
        TEST
    }

    /**
     * Loads a dataset by its {@code --dataset} name.
     *
     * @param dataset one of {@link #DATASETS}, or null for the first
     * @param options {@code --data-dir}, {@code --offline}, {@code --limit} (training reviews),
     *     {@code --seed}
     * @param runDir where the tokenizer or vocabulary file goes
     * @param log progress, or null
     * @return the corpus
     * @throws IOException when the data are missing or broken
     */
    static SentimentCorpus load(String dataset, RunOptions options, Path runDir, PrintStream log)
            throws IOException {
        String name = dataset == null ? DATASETS.get(0) : dataset;
        return switch (name) {
            case "imdb" ->
                    ImdbCorpus.load(
                            options, ImdbCorpus.MAX_LENGTH, ImdbCorpus.MAX_WORDS, runDir, log);
            case "waimai" -> WaimaiCorpus.load(options, ChineseText.Unit.WORDS, runDir, log);
            case "waimai-chars" ->
                    WaimaiCorpus.load(options, ChineseText.Unit.CHARACTERS, runDir, log);
            default ->
                    throw new IllegalArgumentException(
                            "--dataset: '"
                                    + name
                                    + "' is not one of "
                                    + String.join(", ", DATASETS));
        };
    }

    /**
     * What the data and tokens are, for titles and tables.
     *
     * @return e.g. {@code waimai_10k, jieba words}
     */
    String title();

    /**
     * Where the data were found.
     *
     * @return the dataset folder
     */
    Path folder();

    /**
     * Reviews in a part.
     *
     * @param part the part
     * @return the count; 0 for a part the dataset does not have
     */
    int size(Part part);

    /**
     * The part the per-epoch curves watch: validation where there is one, else test.
     *
     * @return the part
     */
    default Part monitored() {
        return size(Part.VALIDATION) > 0 ? Part.VALIDATION : Part.TEST;
    }

    /**
     * The validation part as a dataset, or null when the corpus has none (the curves then watch the
     * test part).
     *
     * @param m owns the arrays
     * @param batchSize batch size
     * @return the dataset or null
     */
    default ArrayDataset validationOrNull(NDManager m, int batchSize) {
        return monitored() == Part.VALIDATION
                ? dataset(m, Part.VALIDATION, batchSize, false)
                : null;
    }

    /**
     * Which weights the test figures come from, for the reports.
     *
     * @return a sentence
     */
    default String testedWhen() {
        return monitored() == Part.VALIDATION
                ? "The curves watch the validation part; the test figures are those of the epoch with the best validation accuracy"
                        + " (early stopping; the test part chooses nothing)."
                : "The curves watch the test part (this dataset keeps no validation part in the labs); the test figures are the last"
                        + " epoch's, and the best epoch is for reading the curves, not a model selection.";
    }

    /**
     * Entries in the vocabulary, special tokens included (the embedding table's rows).
     *
     * @return the size
     */
    int vocabularySize();

    /**
     * Tokens per review after truncation: the models' sequence length.
     *
     * @return L
     */
    int maxLength();

    /**
     * Mean tokens per training review before truncation.
     *
     * @return the mean
     */
    double meanTokens();

    /**
     * Share of training reviews longer than {@link #maxLength()}.
     *
     * @return the fraction
     */
    double truncatedFraction();

    /**
     * Share of the test reviews' tokens that are unknown to the vocabulary.
     *
     * @return the fraction
     */
    double testUnknownRate();

    /**
     * One line about the vocabulary and the lengths.
     *
     * @return the statistics
     */
    String statistics();

    /**
     * What was loaded, for the first lines of a run: the title, the folder, the parts' sizes and
     * {@link #statistics()}.
     *
     * @return one line
     */
    default String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%s from %s: %d train, %d validation, %d test reviews; %s",
                title(),
                folder(),
                size(Part.TRAIN),
                size(Part.VALIDATION),
                size(Part.TEST),
                statistics());
    }

    /**
     * A dataset of (ids, mask) with the sentiment (1 = positive) as label.
     *
     * @param m owns the arrays
     * @param part which reviews
     * @param batchSize batch size
     * @param shuffle random order each epoch
     * @return the dataset
     */
    ArrayDataset dataset(NDManager m, Part part, int batchSize, boolean shuffle);

    /**
     * A test review, encoded at a given length, for pictures of what a model does with it (the
     * attention heat map).
     *
     * @param length tokens, padding included
     * @return its tokens (as text), ids and mask, each {@code length} long
     * @throws IOException when the tokenizer cannot be built
     */
    Sample sample(int length) throws IOException;

    /**
     * One encoded text.
     *
     * @param tokens the tokens as text (padding included)
     * @param ids their ids
     * @param mask 1 for real tokens
     */
    record Sample(String[] tokens, long[] ids, long[] mask) {}
}
