package org.dllab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the emotion dataset (dair-ai, CARER; the course's homework 3): {@code train.txt}, {@code
 * val.txt}, {@code test.txt}, one {@code text;label} line each, lower-cased English tweets, six
 * labels.
 */
public final class EmotionTweets {

    /** The labels, in the Hugging Face dataset's order (its ClassLabel ids). */
    public static final List<String> LABELS =
            List.of("sadness", "joy", "love", "anger", "fear", "surprise");

    private EmotionTweets() {}

    /**
     * One tweet.
     *
     * @param text the text
     * @param label its index in {@link #LABELS}
     */
    public record Tweet(String text, int label) {}

    /** The three official parts. */
    public enum Part {
        /** 16,000 tweets. */
        TRAIN("train.txt"),
        /** 2,000 tweets. */
        VALIDATION("val.txt"),
        /** 2,000 tweets. */
        TEST("test.txt");

        private final String file;

        Part(String file) {
            this.file = file;
        }

        /**
         * The file name.
         *
         * @return e.g. {@code val.txt}
         */
        public String file() {
            return file;
        }
    }

    /**
     * Loads one part.
     *
     * @param folder the dataset folder
     * @param part which file
     * @return the tweets in file order
     * @throws IOException when the file is missing, not UTF-8, or a line is not {@code text;label}
     *     with a known label (the message names the line)
     */
    public static List<Tweet> load(Path folder, Part part) throws IOException {
        Path file = folder.resolve(part.file());
        if (!Files.isRegularFile(file)) {
            throw new DatasetNotFoundException(
                    file
                            + ": file not found (expected the emotion folder with train.txt, val.txt, test.txt;"
                            + " 'dllab data download emotion' fetches them)");
        }
        List<Tweet> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : TextCorpus.readLines(file)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int cut = line.lastIndexOf(';');
            int label = cut < 0 ? -1 : LABELS.indexOf(line.substring(cut + 1).strip());
            if (label < 0) {
                throw new DatasetFormatException(
                        file,
                        "line "
                                + lineNo
                                + " is not text;label with a known label: '"
                                + (line.length() > 60 ? line.substring(0, 60) + "..." : line)
                                + "'",
                        "text;" + String.join("|", LABELS));
            }
            out.add(new Tweet(line.substring(0, cut), label));
        }
        if (out.isEmpty()) {
            throw new DatasetFormatException(file, "has no tweets", "text;label lines");
        }
        return out;
    }

    /**
     * The texts, in order.
     *
     * @param tweets the tweets
     * @return their texts
     */
    public static List<String> texts(List<Tweet> tweets) {
        return tweets.stream().map(Tweet::text).toList();
    }

    /**
     * The classes, in order.
     *
     * @param tweets the tweets
     * @return their labels, indices into {@link #LABELS}
     */
    public static int[] labels(List<Tweet> tweets) {
        return tweets.stream().mapToInt(Tweet::label).toArray();
    }
}
