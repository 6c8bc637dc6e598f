package org.dllab.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Labelled images held as raw bytes in Java memory (channels-first, row-major, 0..255), the shape
 * every image reader returns. Kept as bytes, not floats, in Java memory (MNIST: 47 MB); {@link
 * #toDataset} decides when to scale to floats.
 *
 * @param pixels {@code count * channels * height * width} bytes
 * @param labels one class index per image
 * @param channels 1 for grey, 3 for RGB
 * @param height image height
 * @param width image width
 * @param classNames the class names in label order
 */
public record ImageSet(
        byte[] pixels,
        byte[] labels,
        int channels,
        int height,
        int width,
        List<String> classNames) {

    /**
     * Up to this many bytes of float32 pixels, a dataset is scaled once up front (MNIST: 188 MB,
     * the CIFAR-10 subset: 49 MB); above it, per batch, so that full CIFAR-10 (614 MB as floats)
     * stays as bytes.
     */
    public static final long PRECOMPUTE_BYTES = 256L << 20;

    /** Validates sizes. */
    public ImageSet {
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(
                    "pixels: "
                            + pixels.length
                            + " bytes for "
                            + labels.length
                            + " images of "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width
                            + " ("
                            + expected
                            + " expected)");
        }
        classNames = List.copyOf(classNames);
    }

    /**
     * Number of images.
     *
     * @return the count
     */
    public int size() {
        return labels.length;
    }

    /**
     * Bytes per image.
     *
     * @return channels * height * width
     */
    public int imageBytes() {
        return channels * height * width;
    }

    /**
     * The label of image {@code i}.
     *
     * @param i index
     * @return class index
     */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /**
     * The images at the given indices, in that order.
     *
     * @param indices which images
     * @return a new set
     */
    public ImageSet select(int[] indices) {
        int n = imageBytes();
        byte[] p = new byte[indices.length * n];
        byte[] l = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * n, p, k * n, n);
            l[k] = labels[indices[k]];
        }
        return new ImageSet(p, l, channels, height, width, classNames);
    }

    /**
     * The first {@code n} images (all when {@code n} is larger).
     *
     * @param n how many
     * @return the set
     */
    public ImageSet limit(int n) {
        if (n >= size()) {
            return this;
        }
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return select(idx);
    }

    /**
     * A seeded shuffle.
     *
     * @param seed the seed
     * @return the shuffled set
     */
    public ImageSet shuffle(long seed) {
        return select(permutation(size(), seed));
    }

    /**
     * Splits into train and validation parts after a seeded shuffle (e.g. 0.8 for the course's
     * 80/20 split).
     *
     * @param trainFraction fraction in the first part, in (0, 1)
     * @param seed the shuffle seed
     * @return {train, validation}
     */
    public ImageSet[] split(double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException(
                    "trainFraction must be in (0, 1), got " + trainFraction);
        }
        int[] perm = permutation(size(), seed);
        int cut = (int) Math.round(size() * trainFraction);
        return new ImageSet[] {
            select(Arrays.copyOfRange(perm, 0, cut)),
            select(Arrays.copyOfRange(perm, cut, perm.length))
        };
    }

    /**
     * Per-class counts.
     *
     * @return counts indexed by label
     */
    public int[] classCounts() {
        int[] counts = new int[Math.max(classNames.size(), 1 + maxLabel())];
        for (byte b : labels) {
            counts[b & 0xFF]++;
        }
        return counts;
    }

    /**
     * A DJL dataset over these images for {@code EasyTrain}/{@code Trainer.iterateDataset}: data
     * are {@code (N, C, H, W)} float32 scaled to [0, 1], labels int64. Batches are gathered in one
     * native call each (DJL's bulk path for {@link ArrayDataset}); the arrays live in {@code
     * manager}, which the caller closes.
     *
     * @param manager owns the dataset's arrays
     * @param batchSize the batch size
     * @param shuffle random order each epoch (seeded through the engine's seed)
     * @return the dataset
     */
    public ArrayDataset toDataset(NDManager manager, int batchSize, boolean shuffle) {
        return toDataset(manager, batchSize, shuffle, null, null);
    }

    /**
     * Like {@link #toDataset(NDManager, int, boolean)}, then standardised per channel: {@code (x -
     * mean) / std} with x in [0, 1] (e.g. MNIST's 0.1307 and 0.3081), which helps plain networks
     * converge faster.
     *
     * @param manager owns the dataset's arrays
     * @param batchSize the batch size
     * @param shuffle random order each epoch
     * @param mean per-channel means, or null for none
     * @param std per-channel standard deviations, or null for none
     * @return the dataset
     */
    public ArrayDataset toDataset(
            NDManager manager, int batchSize, boolean shuffle, float[] mean, float[] std) {
        return toDataset(manager, batchSize, shuffle, mean, std, null, PRECOMPUTE_BYTES);
    }

    /**
     * Like {@link #toDataset(NDManager, int, boolean, float[], float[])}, then a per-batch
     * augmentation applied after scaling (e.g. {@link ImageAugmentation}); training data only.
     *
     * @param manager owns the dataset's arrays
     * @param batchSize the batch size
     * @param shuffle random order each epoch
     * @param mean per-channel means, or null
     * @param std per-channel standard deviations, or null
     * @param augmentation applied to every batch, or null
     * @return the dataset
     */
    public ArrayDataset toDataset(
            NDManager manager,
            int batchSize,
            boolean shuffle,
            float[] mean,
            float[] std,
            ai.djl.translate.Transform augmentation) {
        return toDataset(manager, batchSize, shuffle, mean, std, augmentation, PRECOMPUTE_BYTES);
    }

    ArrayDataset toDataset(
            NDManager manager,
            int batchSize,
            boolean shuffle,
            float[] mean,
            float[] std,
            long precomputeBytes) {
        return toDataset(manager, batchSize, shuffle, mean, std, null, precomputeBytes);
    }

    private ArrayDataset toDataset(
            NDManager manager,
            int batchSize,
            boolean shuffle,
            float[] mean,
            float[] std,
            ai.djl.translate.Transform augmentation,
            long precomputeBytes) {
        if ((mean == null) != (std == null)
                || (mean != null && (mean.length != channels || std.length != channels))) {
            throw new IllegalArgumentException(
                    "mean and std need one value per channel (" + channels + ")");
        }
        NDArray x =
                manager.create(
                        ByteBuffer.wrap(pixels),
                        new Shape(size(), channels, height, width),
                        DataType.UINT8);
        long[] y = new long[size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i] & 0xFF;
        }
        NDArray yArr = manager.create(y);
        NDArray m = mean == null ? null : manager.create(mean, new Shape(1, channels, 1, 1));
        NDArray s = std == null ? null : manager.create(std, new Shape(1, channels, 1, 1));
        ArrayDataset.Builder builder =
                new ArrayDataset.Builder().optLabels(yArr).setSampling(batchSize, shuffle);
        if ((long) pixels.length * Float.BYTES <= precomputeBytes) {
            // Scale once: four fewer native ops per batch, about 10 % of an MNIST epoch on two
            // cores.
            NDArray scaled = scale(x, m, s);
            x.close();
            builder.setData(scaled);
        } else {
            builder.setData(x).addTransform(a -> scale(a, m, s));
        }
        if (augmentation != null) {
            builder.addTransform(augmentation);
        }
        return builder.build();
    }

    /**
     * All the images as one float32 array, scaled like {@link #toDataset(NDManager, int, boolean,
     * float[], float[])} (for code that slices batches itself).
     *
     * @param manager owns the array
     * @param mean per-channel means, or null
     * @param std per-channel standard deviations, or null
     * @return (N, C, H, W)
     */
    public NDArray toArray(NDManager manager, float[] mean, float[] std) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray raw =
                    tmp.create(
                            ByteBuffer.wrap(pixels),
                            new Shape(size(), channels, height, width),
                            DataType.UINT8);
            NDArray m = mean == null ? null : tmp.create(mean, new Shape(1, channels, 1, 1));
            NDArray s = std == null ? null : tmp.create(std, new Shape(1, channels, 1, 1));
            NDArray x = scale(raw, m, s);
            x.attach(manager);
            return x;
        }
    }

    /**
     * All the labels as one array.
     *
     * @param manager owns the array
     * @return (N) int64 class indices
     */
    public NDArray labelArray(NDManager manager) {
        long[] y = new long[size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i] & 0xFF;
        }
        return manager.create(y);
    }

    private static NDArray scale(NDArray raw, NDArray mean, NDArray std) {
        NDArray a = raw.toType(DataType.FLOAT32, false).divi(255f);
        return mean == null ? a : a.subi(mean).divi(std);
    }

    private int maxLabel() {
        int m = 0;
        for (byte b : labels) {
            m = Math.max(m, b & 0xFF);
        }
        return m;
    }

    /**
     * A seeded random permutation of 0 .. n - 1.
     *
     * @param n the size
     * @param seed the seed
     * @return the permutation
     */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
