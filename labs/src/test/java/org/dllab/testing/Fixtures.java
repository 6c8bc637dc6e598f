package org.dllab.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Tiny data files in the official formats, written by tests (never copies of the real data). */
public final class Fixtures {

    private Fixtures() {}

    /**
     * IDX image file bytes.
     *
     * @param count images
     * @param rows rows
     * @param cols cols
     * @param pixels {@code count*rows*cols} bytes
     * @return the file content
     */
    public static byte[] idxImages(int count, int rows, int cols, byte[] pixels) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bos.toByteArray();
    }

    /**
     * IDX label file bytes.
     *
     * @param labels the labels
     * @return the file content
     */
    public static byte[] idxLabels(byte[] labels) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(0x801);
            out.writeInt(labels.length);
            out.write(labels);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bos.toByteArray();
    }

    /**
     * Gzips bytes.
     *
     * @param raw the bytes
     * @return gzip bytes
     */
    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(raw);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bos.toByteArray();
    }

    /**
     * A learnable synthetic MNIST in the official layout: digit k is a bright 6x6 square at a
     * position that depends on k, plus noise. An MLP learns it to near 100 % in a few epochs; a
     * broken pipeline does not.
     *
     * @param dir the {@code mnist/} folder to create
     * @param train training images
     * @param test test images
     * @param seed the noise seed
     * @throws IOException on write failure
     */
    public static void syntheticMnist(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            byte[] pixels = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(10);
                labels[i] = (byte) k;
                int top = 2 + (k / 5) * 12 + r.nextInt(3);
                int left = 2 + (k % 5) * 5;
                for (int p = 0; p < 784; p++) {
                    pixels[i * 784 + p] = (byte) r.nextInt(40);
                }
                for (int y = top; y < top + 6; y++) {
                    for (int x = left; x < left + 4; x++) {
                        pixels[i * 784 + y * 28 + x] = (byte) (200 + r.nextInt(56));
                    }
                }
            }
            Files.write(
                    dir.resolve(split + "-images-idx3-ubyte.gz"),
                    gzip(idxImages(n, 28, 28, pixels)));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
        }
    }

    /**
     * CIFAR-10 binary records with the given labels and pixel values {@code (label * 10 +
     * channel)}.
     *
     * @param labels one per record
     * @return the file content
     */
    public static byte[] cifarRecords(int... labels) {
        byte[] out = new byte[labels.length * 3073];
        for (int i = 0; i < labels.length; i++) {
            out[i * 3073] = (byte) labels[i];
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    out[i * 3073 + 1 + c * 1024 + p] = (byte) (labels[i] * 10 + c);
                }
            }
        }
        return out;
    }

    /**
     * An easy sentiment set in aclImdb layout: 20-50 filler words per review and one sentiment word
     * (wonderful, great, superb, moving / awful, boring, dreadful, weak), an HTML line break at the
     * end.
     *
     * @param dir the dataset folder to create ({@code aclImdb/{train,test}/{pos,neg}/ID_RATING.txt}
     *     inside)
     * @param perClass reviews per class and split
     * @param seed the seed
     * @throws IOException when the files cannot be written
     */
    public static void syntheticImdb(Path dir, int perClass, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        String[] good = {"wonderful", "great", "superb", "moving"};
        String[] bad = {"awful", "boring", "dreadful", "weak"};
        String[] filler = {
            "the", "film", "plot", "actor", "scene", "was", "and", "a", "story", "music"
        };
        for (String split : new String[] {"train", "test"}) {
            for (String label : new String[] {"pos", "neg"}) {
                Path d =
                        Files.createDirectories(
                                dir.resolve("aclImdb").resolve(split).resolve(label));
                for (int i = 0; i < perClass; i++) {
                    StringBuilder sb = new StringBuilder();
                    for (int w = 0; w < 20 + r.nextInt(30); w++) {
                        sb.append(filler[r.nextInt(filler.length)]).append(' ');
                    }
                    sb.insert(
                            r.nextInt(sb.length()),
                            " " + (label.equals("pos") ? good : bad)[r.nextInt(4)] + " ");
                    Files.writeString(
                            d.resolve(i + "_" + (label.equals("pos") ? 8 : 2) + ".txt"),
                            sb + "<br /><br />The end.");
                }
            }
        }
    }
}
