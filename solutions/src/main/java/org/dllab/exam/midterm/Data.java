package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.data.Split;

/** MNIST for the experiment: shuffled, split into training and validation, normalised with training statistics. */
public final class Data {

    /** How far the training augmentation shifts an image, in pixels (MNIST digits are centred; 2 px keeps them whole). */
    static final int MAX_SHIFT = 2;

    /**
     * The prepared data.
     *
     * @param train what the network learns from
     * @param validation held out from training, to watch for over-fitting
     * @param test the official test images, used once at the end
     * @param norm the pixel statistics every split is normalised with
     */
    public record Prepared(ImageSet train, ImageSet validation, ImageSet test, Normalization norm) {}

    /**
     * Pixel statistics (of values scaled to 0..1).
     *
     * @param mean the mean
     * @param std the standard deviation
     */
    public record Normalization(float mean, float std) {}

    private Data() {}

    /**
     * Reads and prepares MNIST.
     *
     * @param folder the MNIST folder
     * @param trainSize training images
     * @param validationSize validation images
     * @param testSize test images
     * @param seed the shuffle's seed
     * @return the splits
     * @throws IOException when MNIST cannot be read
     */
    public static Prepared prepare(Path folder, int trainSize, int validationSize, int testSize, long seed) throws IOException {
        ImageSet pool = shuffle(MnistIdx.load(folder, Split.TRAIN), seed).limit(trainSize + validationSize);
        ImageSet test = MnistIdx.load(folder, Split.TEST).limit(testSize);
        ImageSet[] parts = holdOut(pool, validationSize);
        return new Prepared(parts[0], parts[1], test, normalization(parts[0], test));
    }

    /**
     * The images in a seeded random order, each with its own label.
     *
     * @param set the images
     * @param seed the seed
     * @return the shuffled images
     */
    public static ImageSet shuffle(ImageSet set, long seed) {
        int[] order = ImageSet.permutation(set.size(), seed);
        // BUG data-shuffle
        // en: Images and labels must be shuffled with one permutation; shuffled apart, every label belongs to another image and the network cannot learn (accuracy stays near 10 %).
        // zh: 影像與標籤必須用同一個排列打亂；分開打亂時每個標籤都配到別張影像，網路學不到東西（準確率停在約 10 %）。
        return set.select(order);
        // VARIANT labels-apart: the labels are shuffled with a second permutation
        // > int[] labelOrder = ImageSet.permutation(set.size(), seed + 1);
        // > return new ImageSet(set.select(order).pixels(), set.select(labelOrder).labels(), set.channels(), set.height(), set.width(), set.classNames());
        // VARIANT images-only: only the images are shuffled
        // > return new ImageSet(set.select(order).pixels(), set.labels(), set.channels(), set.height(), set.width(), set.classNames());
        // END BUG
    }

    /**
     * Splits off the last {@code validationSize} images as the validation set.
     *
     * @param set the shuffled pool
     * @param validationSize how many to hold out
     * @return {training, validation}: disjoint, together the whole pool
     */
    public static ImageSet[] holdOut(ImageSet set, int validationSize) {
        int n = set.size() - validationSize;
        // BUG data-split
        // en: The validation images must not be trained on: a validation set inside the training set reports memorisation as generalisation (validation accuracy close to training accuracy, far above test accuracy).
        // zh: 驗證集不能拿來訓練；驗證影像若也在訓練集中，量到的是記憶而不是泛化（驗證準確率貼近訓練準確率、遠高於測試準確率）。
        int[] trainIndices = IntStream.range(0, n).toArray();
        int[] validationIndices = IntStream.range(n, set.size()).toArray();
        // VARIANT whole-pool: training keeps every image, the validation ones included
        // > int[] trainIndices = IntStream.range(0, set.size()).toArray();
        // > int[] validationIndices = IntStream.range(n, set.size()).toArray();
        // VARIANT overlap: validation is taken from the end of the training part
        // > int[] trainIndices = IntStream.range(0, n).toArray();
        // > int[] validationIndices = IntStream.range(n - validationSize, n).toArray();
        // END BUG
        return new ImageSet[] {set.select(trainIndices), set.select(validationIndices)};
    }

    /**
     * The pixel statistics the network's inputs are normalised with.
     *
     * @param train the training images
     * @param test the test images
     * @return mean and standard deviation of the pixels (scaled to 0..1)
     */
    public static Normalization normalization(ImageSet train, ImageSet test) {
        // BUG norm-stats
        // en: Normalisation statistics come from the training set only; computing them on test images lets the test set shape the model (leakage), and the reported accuracy is no longer a fair estimate.
        // zh: 正規化的統計量只能從訓練集算；用到測試影像等於讓測試集影響模型（資料洩漏），回報的準確率就不再是公正的估計。
        byte[] pixels = train.pixels();
        // VARIANT test-set: the statistics of the test images
        // > byte[] pixels = test.pixels();
        // VARIANT both: the statistics of the training and test images together
        // > byte[] pixels = ByteBuffer.allocate(train.pixels().length + test.pixels().length).put(train.pixels()).put(test.pixels()).array();
        // END BUG
        double sum = 0;
        double squares = 0;
        for (byte b : pixels) {
            double v = (b & 0xFF) / 255.0;
            sum += v;
            squares += v * v;
        }
        double mean = sum / pixels.length;
        return new Normalization((float) mean, (float) Math.sqrt(squares / pixels.length - mean * mean));
    }

    /**
     * Images {@code from .. to} as the network's input, for evaluation: normalised, never altered.
     *
     * @param manager owns the array
     * @param set the images
     * @param from first index
     * @param to end index (exclusive)
     * @param norm the training statistics
     * @return (to - from, 1, 28, 28) float32
     */
    public static NDArray evaluationBatch(NDManager manager, ImageSet set, int from, int to, Normalization norm) {
        // BUG test-transform
        // en: Evaluation sees the images as they are, only normalised like in training: augmenting test images (random shifts) or skipping the normalisation makes the measured accuracy lower and noisy.
        // zh: 評估時影像保持原樣，只做與訓練相同的正規化；對測試影像做資料增強（隨機平移）或漏掉正規化，量到的準確率會偏低且不穩定。
        return batch(manager, set, from, to, norm, null);
        // VARIANT augmented: the test images are shifted at random like the training images
        // > return batch(manager, set, from, to, norm, new Random(from));
        // VARIANT unnormalised: the test images are not normalised
        // > return batch(manager, set, from, to, new Normalization(0f, 1f), null);
        // END BUG
    }

    /**
     * Images {@code from .. to} for training: normalised, each shifted by up to {@link #MAX_SHIFT} pixels at random.
     *
     * @param manager owns the array
     * @param set the images
     * @param from first index
     * @param to end index (exclusive)
     * @param norm the training statistics
     * @param random the augmentation's random numbers
     * @return (to - from, 1, 28, 28) float32
     */
    public static NDArray trainingBatch(NDManager manager, ImageSet set, int from, int to, Normalization norm, Random random) {
        return batch(manager, set, from, to, norm, random);
    }

    /**
     * Labels {@code from .. to}.
     *
     * @param manager owns the array
     * @param set the images
     * @param from first index
     * @param to end index (exclusive)
     * @return (to - from) int64
     */
    public static NDArray labels(NDManager manager, ImageSet set, int from, int to) {
        long[] y = new long[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = set.label(i);
        }
        return manager.create(y);
    }

    private static NDArray batch(NDManager manager, ImageSet set, int from, int to, Normalization norm, Random shift) {
        int size = set.imageBytes();
        byte[] bytes = new byte[(to - from) * size];
        for (int i = from; i < to; i++) {
            int dy = shift == null ? 0 : shift.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            int dx = shift == null ? 0 : shift.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
            for (int y = 0; y < set.height(); y++) {
                for (int x = 0; x < set.width(); x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    boolean inside = sy >= 0 && sy < set.height() && sx >= 0 && sx < set.width();
                    bytes[(i - from) * size + y * set.width() + x] = inside ? set.pixels()[i * size + sy * set.width() + sx] : 0;
                }
            }
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray raw = scratch.create(ByteBuffer.wrap(bytes), new Shape(to - from, 1, set.height(), set.width()), DataType.UINT8);
            NDArray x = raw.toType(DataType.FLOAT32, false).divi(255f).subi(norm.mean()).divi(norm.std());
            x.attach(manager);
            return x;
        }
    }
}
