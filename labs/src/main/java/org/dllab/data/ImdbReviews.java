package org.dllab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the IMDb Large Movie Review dataset in its official layout: {@code
 * aclImdb/{train,test}/{pos,neg}/ID_RATING.txt}. The label is the folder; the rating and id come
 * from the file name. Reviews come back in a fixed order (negatives then positives, each by id) so
 * that a seed alone decides any shuffle.
 */
public final class ImdbReviews {

    private static final Pattern NAME = Pattern.compile("(\\d{1,9})_(\\d{1,2})\\.txt");

    private ImdbReviews() {}

    /**
     * Loads one split.
     *
     * @param folder the dataset folder holding {@code aclImdb/}
     * @param split train or test
     * @return the reviews
     * @throws IOException on an empty folder, a badly named file or a review that is not UTF-8
     */
    public static List<Review> load(Path folder, Split split) throws IOException {
        Path base = folder.resolve("aclImdb").resolve(split == Split.TRAIN ? "train" : "test");
        List<Review> result = new ArrayList<>();
        for (String label : List.of("neg", "pos")) {
            Path dir = base.resolve(label);
            if (!Files.isDirectory(dir)) {
                throw new DatasetNotFoundException(
                        dir + ": folder not found (expected aclImdb/{train,test}/{pos,neg}/)");
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).toList();
            }
            if (files.isEmpty()) {
                throw new DatasetFormatException(
                        dir, "has no .txt reviews", "files named ID_RATING.txt");
            }
            List<Review> part = new ArrayList<>(files.size());
            for (Path f : files) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    throw new DatasetFormatException(
                            f, "has an unexpected name", "ID_RATING.txt, e.g. 123_8.txt");
                }
                String text = TextCorpus.decode(f, Files.readAllBytes(f));
                part.add(
                        new Review(
                                text,
                                label.equals("pos"),
                                Integer.parseInt(m.group(2)),
                                Integer.parseInt(m.group(1))));
            }
            part.sort(Comparator.comparingInt(Review::id));
            result.addAll(part);
        }
        return result;
    }
}
