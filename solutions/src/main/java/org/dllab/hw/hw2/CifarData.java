package org.dllab.hw.hw2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Reading, splitting and normalising CIFAR-10 for training. */
public final class CifarData {

    /** CIFAR-10's per-channel mean (of pixels in [0, 1]) over the official training set. */
    public static final float[] MEAN = {0.4914f, 0.4822f, 0.4465f};

    /** CIFAR-10's per-channel standard deviation. */
    public static final float[] STD = {0.2470f, 0.2435f, 0.2616f};

    private CifarData() {}

    /**
     * Reads every record of a batch file.
     *
     * @param file e.g. {@code data_batch_1.bin}
     * @return the records, in file order
     * @throws IOException when the file is unreadable or not whole records
     */
    public static List<CifarRecord> read(Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        if (data.length == 0 || data.length % CifarRecord.BYTES != 0) {
            throw new IOException(file + ": " + data.length + " bytes is not a whole number of " + CifarRecord.BYTES + "-byte records");
        }
        List<CifarRecord> out = new ArrayList<>(data.length / CifarRecord.BYTES);
        for (int off = 0; off < data.length; off += CifarRecord.BYTES) {
            out.add(CifarRecord.decode(data, off));
        }
        return out;
    }

    /**
     * Shuffles with the seed and splits into training and validation parts (the course uses 80/20).
     *
     * @param records all records (not modified)
     * @param trainFraction e.g. 0.8
     * @param seed the shuffle seed
     * @return {train, validation}, together every record exactly once
     */
    public static List<List<CifarRecord>> split(List<CifarRecord> records, double trainFraction, long seed) {
        // BEGIN SOLUTION 複製一份、用 seed 打亂，前 80% 當訓練、其餘當驗證 | copy, shuffle with the seed, first fraction for training, the rest for validation
        List<CifarRecord> copy = new ArrayList<>(records);
        Collections.shuffle(copy, new Random(seed));
        int cut = (int) Math.round(copy.size() * trainFraction);
        return List.of(copy.subList(0, cut), copy.subList(cut, copy.size()));
        // END SOLUTION
    }

    /**
     * Standardises images per channel: {@code (x - MEAN[c]) / STD[c]}.
     *
     * @param images (N, 3, 32, 32) in [0, 1]
     * @return the standardised images
     */
    public static NDArray normalize(NDArray images) {
        NDManager m = images.getManager();
        NDArray mean = m.create(MEAN, new Shape(1, 3, 1, 1)); // SOLUTION 形狀 (1,3,1,1) 的平均值，可以對 (N,3,32,32) 廣播 | the means, shape (1, 3, 1, 1) so that they broadcast over (N, 3, 32, 32)
        NDArray std = m.create(STD, new Shape(1, 3, 1, 1));
        return images.sub(mean).div(std); // SOLUTION 減平均、除標準差 | subtract the mean, divide by the standard deviation
    }

    /**
     * A DJL dataset of normalised images and their labels.
     *
     * @param manager owns the arrays
     * @param records the records
     * @param batchSize the batch size
     * @param shuffle random order each epoch
     * @return the dataset: data (N, 3, 32, 32) float32, labels (N) int64
     */
    public static ArrayDataset toDataset(NDManager manager, List<CifarRecord> records, int batchSize, boolean shuffle) {
        float[] pixels = new float[records.size() * 3072];
        long[] labels = new long[records.size()];
        for (int i = 0; i < records.size(); i++) {
            System.arraycopy(records.get(i).pixels(), 0, pixels, i * 3072, 3072);
            labels[i] = records.get(i).label();
        }
        NDArray x = normalize(manager.create(pixels, new Shape(records.size(), 3, 32, 32)));
        return new ArrayDataset.Builder().setData(x).optLabels(manager.create(labels)).setSampling(batchSize, shuffle).build();
    }
}
