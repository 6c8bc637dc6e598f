package org.dllab.cli;

import java.nio.file.Path;
import org.dllab.run.RunOptions;
import picocli.CommandLine.Option;

/**
 * The options of {@code dllab run <lab> ...}; unset ones keep the lab's documented default. A lab
 * honours the ones it declares ({@code dllab labs} lists them); giving it another is a usage error.
 */
final class RunOptionsMixin {

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "Training epochs (default: the lab's).")
    Integer epochs;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Examples per batch (default: the lab's).")
    Integer batchSize;

    @Option(
            names = "--max-batches",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Stop each training/evaluation pass after N batches; 0 = all (default). For quick looks.")
    long maxBatches;

    @Option(
            names = "--episodes",
            paramLabel = "N",
            description =
                    "Episodes to play, for the reinforcement-learning lab (default: the lab's).")
    Integer episodes;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Use only N training examples (a seeded sample).")
    Integer limit;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description =
                    "Random seed; the same seed gives the same metrics on CPU (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--lr",
            paramLabel = "RATE",
            description = "Learning rate (default: the lab's).")
    Float learningRate;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Folder with the datasets (searched before $DLLAB_DATA).")
    Path dataDir;

    @Option(
            names = {"--output", "-o"},
            paramLabel = "DIR",
            description = "Run folder (default: runs/<lab>).")
    Path output;

    @Option(
            names = "--device",
            paramLabel = "DEV",
            defaultValue = "auto",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = {"--quiet", "-q"},
            description = "No progress bars or per-epoch lines.")
    boolean quiet;

    @Option(
            names = "--resume",
            description =
                    "Go on with a stopped run (Ctrl-C, SIGTERM) in the same run folder, with the same"
                            + " options: finished experiments are read back, the stopped one goes on"
                            + " from its last checkpoint (labs of more than a minute).")
    boolean resume;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description =
                    "Which data, for labs that take several (w08-imdb-rnn, w10-attention: imdb, waimai, waimai-chars; "
                            + "default: the lab's first; 'dllab labs' lists them).")
    String dataset;

    @Option(names = "--offline", description = "Never download (same as DLLAB_OFFLINE=1).")
    boolean offline;

    /**
     * Builds the lab options, validating each value (an invalid one is an IllegalArgumentException
     * naming it).
     *
     * @return the options
     */
    RunOptions toRunOptions() {
        return new RunOptions()
                .epochs(epochs)
                .episodes(episodes)
                .batchSize(batchSize)
                .maxBatches(maxBatches)
                .limit(limit)
                .seed(seed)
                .learningRate(learningRate)
                .dataDir(dataDir)
                .output(output)
                .device(device)
                .quiet(quiet)
                .offline(offline)
                .resume(resume)
                .dataset(dataset);
    }
}
