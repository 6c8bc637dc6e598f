package org.dllab.labs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.dllab.data.CifarBinary;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.ImageSet;
import org.dllab.data.MnistIdx;
import org.dllab.data.Split;
import org.dllab.run.RunOptions;

/**
 * The train and test images of a lab, found the usual way ({@code --data-dir}, {@code DLLAB_DATA},
 * cache, download) with {@code --limit} applied to the training part as a seeded sample.
 *
 * @param folder where the dataset was found
 * @param train the training images
 * @param test the test images
 */
public record ImageData(Path folder, ImageSet train, ImageSet test) {

    /**
     * MNIST for a lab.
     *
     * @param options the lab's options
     * @param log download progress, or null
     * @return the data
     * @throws IOException when missing or broken
     */
    public static ImageData mnist(RunOptions options, PrintStream log) throws IOException {
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.MNIST, log);
        return limited(
                folder,
                MnistIdx.load(folder, Split.TRAIN),
                MnistIdx.load(folder, Split.TEST),
                options);
    }

    /**
     * CIFAR-10 (full or the course subset) for a lab.
     *
     * @param options the lab's options
     * @param log download progress, or null
     * @return the data
     * @throws IOException when missing or broken
     */
    public static ImageData cifar10(RunOptions options, PrintStream log) throws IOException {
        Path folder =
                DataLocations.fromEnvironment(options.dataDir(), options.offline())
                        .resolve(DatasetCatalog.CIFAR10, log);
        return limited(
                folder,
                CifarBinary.load(folder, Split.TRAIN),
                CifarBinary.load(folder, Split.TEST),
                options);
    }

    private static ImageData limited(
            Path folder, ImageSet train, ImageSet test, RunOptions options) {
        return new ImageData(
                folder,
                options.limit() == null
                        ? train
                        : train.shuffle(options.seed()).limit(options.limit()),
                test);
    }
}
