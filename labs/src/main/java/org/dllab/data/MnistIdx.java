package org.dllab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST's official IDX files ({@code *-idx3-ubyte} images, {@code *-idx1-ubyte} labels),
 * gzip-compressed or not (detected from the gzip magic, not the name). Header: big-endian int32
 * magic (2051 images, 2049 labels), int32 count, then for images int32 rows and cols; then unsigned
 * bytes.
 */
public final class MnistIdx {

    /** Magic number of an IDX file of unsigned-byte 3-D data (images). */
    /** MNIST's pixel mean (of x / 255) over the 60,000 training images: the usual normalisation. */
    public static final float[] MEAN = {0.1307f};

    /** MNIST's pixel standard deviation (of x / 255) over the training images. */
    public static final float[] STD = {0.3081f};

    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an IDX file of unsigned-byte 1-D data (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final List<String> DIGITS =
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private MnistIdx() {}

    /**
     * Loads one official split from a dataset folder.
     *
     * @param folder the {@code mnist/} folder
     * @param split train (60k) or test (10k)
     * @return the images and labels
     * @throws IOException on missing or malformed files
     */
    public static ImageSet load(Path folder, Split split) throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path images = DatasetCatalog.MNIST.locate(folder, prefix + "-images-idx3-ubyte.gz");
        Path labels = DatasetCatalog.MNIST.locate(folder, prefix + "-labels-idx1-ubyte.gz");
        return read(images, labels);
    }

    /**
     * Reads an image file and its label file.
     *
     * @param imagesFile the {@code idx3} file
     * @param labelsFile the {@code idx1} file
     * @return the images and labels
     * @throws IOException on missing or malformed files, or when the counts differ
     */
    public static ImageSet read(Path imagesFile, Path labelsFile) throws IOException {
        int[] dims = new int[2];
        byte[] pixels = readImages(imagesFile, dims);
        byte[] labels = readLabels(labelsFile);
        int count = pixels.length / (dims[0] * dims[1]);
        if (count != labels.length) {
            throw new DatasetFormatException(
                    labelsFile,
                    "holds "
                            + labels.length
                            + " labels but "
                            + imagesFile.getFileName()
                            + " holds "
                            + count
                            + " images",
                    "one label per image");
        }
        return new ImageSet(pixels, labels, 1, dims[0], dims[1], DIGITS);
    }

    /**
     * Reads an IDX image file.
     *
     * @param file the file
     * @param dimsOut receives {rows, cols}
     * @return {@code count * rows * cols} pixel bytes
     * @throws IOException on missing or malformed files
     */
    public static byte[] readImages(Path file, int[] dimsOut) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new DatasetFormatException(
                        file,
                        String.format("magic number is 0x%08x", magic),
                        String.format("0x%08x (IDX unsigned-byte images)", IMAGES_MAGIC)
                                + (magic == LABELS_MAGIC ? "; this is a label file" : ""));
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0
                    || rows <= 0
                    || cols <= 0
                    || rows > 4096
                    || cols > 4096
                    || (long) count * rows * cols > Integer.MAX_VALUE - 16) {
                throw new DatasetFormatException(
                        file,
                        "header says " + count + " images of " + rows + "x" + cols,
                        "a positive count and sizes that fit in memory");
            }
            byte[] pixels = readExactly(in, count * rows * cols, file, "pixel bytes");
            expectEnd(in, file);
            dimsOut[0] = rows;
            dimsOut[1] = cols;
            return pixels;
        } catch (EOFException e) {
            throw new DatasetFormatException(
                    file, "ends inside the header", "a 16-byte IDX image header");
        } catch (ZipException e) {
            throw new DatasetFormatException(
                    file, "is a damaged gzip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads an IDX label file and checks every label is a digit.
     *
     * @param file the file
     * @return the labels
     * @throws IOException on missing or malformed files
     */
    public static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new DatasetFormatException(
                        file,
                        String.format("magic number is 0x%08x", magic),
                        String.format("0x%08x (IDX unsigned-byte labels)", LABELS_MAGIC)
                                + (magic == IMAGES_MAGIC ? "; this is an image file" : ""));
            }
            int count = in.readInt();
            if (count < 0 || count > Integer.MAX_VALUE - 16) {
                throw new DatasetFormatException(
                        file, "header says " + count + " labels", "a non-negative count");
            }
            byte[] labels = readExactly(in, count, file, "labels");
            expectEnd(in, file);
            for (int i = 0; i < count; i++) {
                if ((labels[i] & 0xFF) > 9) {
                    throw new DatasetFormatException(
                            file, "label #" + i + " is " + (labels[i] & 0xFF), "a digit 0..9");
                }
            }
            return labels;
        } catch (EOFException e) {
            throw new DatasetFormatException(
                    file, "ends inside the header", "an 8-byte IDX label header");
        } catch (ZipException e) {
            throw new DatasetFormatException(
                    file, "is a damaged gzip file (" + e.getMessage() + ")", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new DatasetNotFoundException(file + ": file not found");
        }
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (ZipException e) {
                raw.close();
                throw new DatasetFormatException(file, "is not a valid gzip file", e);
            }
        }
        return new DataInputStream(raw);
    }

    /**
     * Reads the n bytes the header promises. Memory grows with what the file really holds, not with
     * the header: a damaged or hostile header promising 2 GB costs nothing before the file runs
     * out.
     */
    private static byte[] readExactly(DataInputStream in, int n, Path file, String what)
            throws IOException {
        byte[] buf;
        try {
            buf = in.readNBytes(n);
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(file, "is truncated or corrupt inside the " + what, e);
        }
        if (buf.length < n) {
            throw new DatasetFormatException(
                    file,
                    "is truncated: " + buf.length + " of " + n + " " + what + " present",
                    "the count in the header");
        }
        return buf;
    }

    private static void expectEnd(DataInputStream in, Path file) throws IOException {
        try {
            if (in.read() != -1) {
                throw new DatasetFormatException(
                        file, "has bytes after the last record", "the size the header announces");
            }
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(file, "has a corrupt gzip trailer", e);
        }
    }
}
