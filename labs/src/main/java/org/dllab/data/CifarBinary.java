package org.dllab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads CIFAR-10's official binary batches ({@code cifar-10-batches-bin/}): records of 3,073 bytes,
 * one label byte (0..9) then 1,024 red, 1,024 green and 1,024 blue bytes (32x32, row-major). No
 * header, so any number of records is valid as long as the size is a multiple of 3,073; the subset
 * in the course data has 4,000 + 1,000.
 */
public final class CifarBinary {

    /** Bytes in one record. */
    /** CIFAR-10's per-channel mean (of x / 255) over the 50,000 training images. */
    public static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};

    /** CIFAR-10's per-channel standard deviation (of x / 255) over the training images. */
    public static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

    public static final int RECORD_BYTES = 1 + 3 * 32 * 32;

    /** Class names of CIFAR-10 in label order (as in {@code batches.meta.txt}). */
    public static final List<String> CLASSES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    private static final Pattern TRAIN_BATCH = Pattern.compile("data_batch_[1-9][0-9]*\\.bin");

    private CifarBinary() {}

    /**
     * Loads one split: train is every {@code data_batch_N.bin} present (in N order), test is {@code
     * test_batch.bin}.
     *
     * @param folder the dataset folder holding {@code cifar-10-batches-bin/}
     * @param split which part
     * @return the images
     * @throws IOException on missing or malformed files
     */
    public static ImageSet load(Path folder, Split split) throws IOException {
        Path bin = folder.resolve("cifar-10-batches-bin");
        List<String> classes = readMeta(bin.resolve("batches.meta.txt"));
        List<Path> files = new ArrayList<>();
        if (split == Split.TEST) {
            files.add(bin.resolve("test_batch.bin"));
        } else {
            try (Stream<Path> s = Files.list(bin)) {
                s.filter(p -> TRAIN_BATCH.matcher(p.getFileName().toString()).matches())
                        .sorted((a, b) -> Integer.compare(batchNumber(a), batchNumber(b)))
                        .forEach(files::add);
            } catch (NoSuchFileException e) {
                throw new DatasetNotFoundException(
                        bin
                                + ": folder not found (expected the official cifar-10-batches-bin layout)");
            }
            if (files.isEmpty()) {
                throw new DatasetNotFoundException(bin + ": no data_batch_N.bin files");
            }
        }
        List<ImageSet> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(read(f, classes));
        }
        return concat(parts);
    }

    /**
     * Reads one batch file.
     *
     * @param file a {@code .bin} batch
     * @param classNames the class names
     * @return its images
     * @throws IOException on a missing file, a size that is not whole records, or a bad label
     */
    public static ImageSet read(Path file, List<String> classNames) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DatasetNotFoundException(file + ": file not found");
        }
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new DatasetFormatException(
                    file,
                    "is "
                            + size
                            + " bytes, "
                            + (size % RECORD_BYTES)
                            + " bytes past the last whole record",
                    "a non-zero multiple of " + RECORD_BYTES + " bytes (label + 3x32x32)");
        }
        if (size / RECORD_BYTES > Integer.MAX_VALUE / RECORD_BYTES) {
            throw new DatasetFormatException(
                    file,
                    "is too large (" + size + " bytes)",
                    "at most a few batches of 10,000 records");
        }
        int n = (int) (size / RECORD_BYTES);
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * (RECORD_BYTES - 1)];
        byte[] rec = new byte[RECORD_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int i = 0; i < n; i++) {
                if (in.readNBytes(rec, 0, RECORD_BYTES) != RECORD_BYTES) {
                    throw new DatasetFormatException(
                            file, "ended while reading record #" + i, n + " whole records");
                }
                int label = rec[0] & 0xFF;
                if (label >= classNames.size()) {
                    throw new DatasetFormatException(
                            file,
                            "record #"
                                    + i
                                    + " (byte offset "
                                    + (long) i * RECORD_BYTES
                                    + ") has label "
                                    + label,
                            "a class index below " + classNames.size());
                }
                labels[i] = rec[0];
                System.arraycopy(rec, 1, pixels, i * (RECORD_BYTES - 1), RECORD_BYTES - 1);
            }
        }
        return new ImageSet(pixels, labels, 3, 32, 32, classNames);
    }

    /**
     * Reads {@code batches.meta.txt}; falls back to the standard names when the file is absent.
     *
     * @param meta the file
     * @return ten class names
     * @throws IOException when present but not ten names
     */
    public static List<String> readMeta(Path meta) throws IOException {
        if (!Files.exists(meta)) {
            return CLASSES;
        }
        List<String> names =
                TextCorpus.readLines(meta).stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        if (names.size() != 10) {
            throw new DatasetFormatException(
                    meta, "lists " + names.size() + " class names", "10 names, one per line");
        }
        return names;
    }

    private static int batchNumber(Path p) {
        String s = p.getFileName().toString();
        return Integer.parseInt(s.substring("data_batch_".length(), s.length() - 4));
    }

    static ImageSet concat(List<ImageSet> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int total = parts.stream().mapToInt(ImageSet::size).sum();
        ImageSet first = parts.get(0);
        byte[] pixels = new byte[total * first.imageBytes()];
        byte[] labels = new byte[total];
        int at = 0;
        for (ImageSet p : parts) {
            System.arraycopy(p.pixels(), 0, pixels, at * first.imageBytes(), p.pixels().length);
            System.arraycopy(p.labels(), 0, labels, at, p.size());
            at += p.size();
        }
        return new ImageSet(
                pixels,
                labels,
                first.channels(),
                first.height(),
                first.width(),
                first.classNames());
    }
}
