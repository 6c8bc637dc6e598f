package org.dllab.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads waimai_10k ({@code waimai_10k.csv}: UTF-8, header {@code label,review}, label 1 = positive,
 * 0 = negative; reviews with a comma are quoted) and splits it. The file has no official split, so
 * {@link #split} makes a seeded, stratified one: 80 % train, 10 % validation, 10 % test, each with
 * the file's 1:2 positive:negative ratio.
 */
public final class WaimaiReviews {

    /** The file inside the dataset folder. */
    public static final String FILE = "waimai_10k.csv";

    /** Share of each class in the training part. */
    public static final double TRAIN_FRACTION = 0.8;

    /** Share of each class in the validation part (the rest is the test part). */
    public static final double VALIDATION_FRACTION = 0.1;

    private WaimaiReviews() {}

    /**
     * A split of the reviews.
     *
     * @param train for training
     * @param validation for choosing epochs and settings
     * @param test touched once, for the reported figures
     */
    public record Parts(List<Review> train, List<Review> validation, List<Review> test) {}

    /**
     * Loads every review, in file order.
     *
     * @param folder the dataset folder holding {@code waimai_10k.csv}
     * @return the reviews; {@link Review#id()} is the line in the file
     * @throws IOException when the file is missing, not UTF-8, or a row is not {@code 0|1,text}
     *     (the message names the line)
     */
    public static List<Review> load(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new DatasetNotFoundException(
                    file
                            + ": file not found (expected the waimai_10k folder with "
                            + FILE
                            + "; 'dllab data download waimai' fetches it)");
        }
        var decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        List<Review> reviews = new ArrayList<>();
        try (Reader in = new java.io.InputStreamReader(Files.newInputStream(file), decoder);
                CSVParser csv = CSVParser.parse(in, format)) {
            if (!csv.getHeaderNames().equals(List.of("label", "review"))) {
                throw new DatasetFormatException(
                        file, "line 1 has the header " + csv.getHeaderNames(), "label,review");
            }
            for (CSVRecord row : csv) {
                long line =
                        row.getRecordNumber()
                                + 1; // the header is line 1; no review spans lines in this file
                if (row.size() != 2) {
                    throw new DatasetFormatException(
                            file,
                            "line " + line + " has " + row.size() + " fields",
                            "label,review");
                }
                String label = row.get(0).strip();
                if (!label.equals("0") && !label.equals("1")) {
                    throw new DatasetFormatException(
                            file, "line " + line + " has the label '" + label + "'", "0 or 1");
                }
                reviews.add(new Review(row.get(1), label.equals("1"), 0, (int) line));
            }
        } catch (UncheckedIOException e) {
            throw wrap(file, e.getCause());
        } catch (CharacterCodingException e) {
            throw wrap(file, e);
        }
        if (reviews.isEmpty()) {
            throw new DatasetFormatException(
                    file, "has no reviews", "a header and rows label,review");
        }
        return reviews;
    }

    private static IOException wrap(Path file, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new DatasetFormatException(file, "is not UTF-8 (" + e + ")", e);
        }
        return e instanceof DatasetFormatException
                ? e
                : new DatasetFormatException(file, "cannot be parsed as CSV: " + e.getMessage(), e);
    }

    /**
     * The seeded, stratified split: each class shuffled with the seed and cut 80/10/10, then the
     * parts shuffled again so the classes interleave. The same seed gives the same parts on every
     * machine.
     *
     * @param reviews all reviews, in file order
     * @param seed the seed
     * @return train, validation, test
     */
    public static Parts split(List<Review> reviews, long seed) {
        List<Review> train = new ArrayList<>();
        List<Review> validation = new ArrayList<>();
        List<Review> test = new ArrayList<>();
        for (boolean positive : new boolean[] {false, true}) {
            List<Review> cls = reviews.stream().filter(r -> r.positive() == positive).toList();
            int[] perm = ImageSet.permutation(cls.size(), seed + (positive ? 1 : 0));
            int trainEnd = (int) Math.round(cls.size() * TRAIN_FRACTION);
            int validationEnd = trainEnd + (int) Math.round(cls.size() * VALIDATION_FRACTION);
            for (int i = 0; i < perm.length; i++) {
                (i < trainEnd ? train : i < validationEnd ? validation : test)
                        .add(cls.get(perm[i]));
            }
        }
        return new Parts(shuffled(train, seed), shuffled(validation, seed), shuffled(test, seed));
    }

    private static List<Review> shuffled(List<Review> items, long seed) {
        int[] perm = ImageSet.permutation(items.size(), seed + 2);
        List<Review> out = new ArrayList<>(items.size());
        for (int i : perm) {
            out.add(items.get(i));
        }
        return List.copyOf(out);
    }
}
