package org.dllab.run;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * The options every lab takes. A lab fills in its own defaults for the fields left unset ({@code
 * null}/0), so the same object serves the CLI, tests and {@code main}.
 */
public final class RunOptions {

    private Integer epochs;
    private Integer batchSize;
    private long maxBatches;
    private long seed = 42;
    private Float learningRate;
    private Path dataDir;
    private Path output;
    private String device = "auto";
    private boolean quiet;
    private boolean offline;
    private Integer limit;
    private boolean resume;
    private String dataset;
    private Integer episodes;
    private final EnumSet<LabOption> read = EnumSet.noneOf(LabOption.class);

    /**
     * Epochs to train, or the lab's default.
     *
     * @param fallback the lab's default
     * @return the value
     */
    public int epochsOr(int fallback) {
        read.add(LabOption.EPOCHS);
        return epochs == null ? fallback : epochs;
    }

    /**
     * Sets the number of epochs.
     *
     * @param v at least 1
     * @return this
     */
    public RunOptions epochs(Integer v) {
        if (v != null && v < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + v);
        }
        epochs = v;
        return this;
    }

    /**
     * Batch size, or the lab's default.
     *
     * @param fallback the lab's default
     * @return the value
     */
    public int batchSizeOr(int fallback) {
        read.add(LabOption.BATCH_SIZE);
        return batchSize == null ? fallback : batchSize;
    }

    /**
     * Sets the batch size.
     *
     * @param v at least 1
     * @return this
     */
    public RunOptions batchSize(Integer v) {
        if (v != null && (v < 1 || v > 1_000_000)) {
            throw new IllegalArgumentException(
                    "--batch-size must be between 1 and 1000000, got " + v);
        }
        batchSize = v;
        return this;
    }

    /**
     * Most batches per epoch (training and evaluation), 0 for all: smoke runs and quick looks.
     *
     * @return the limit
     */
    public long maxBatches() {
        read.add(LabOption.MAX_BATCHES);
        return maxBatches;
    }

    /**
     * Sets the batch limit.
     *
     * @param v 0 for no limit
     * @return this
     */
    public RunOptions maxBatches(long v) {
        if (v < 0) {
            throw new IllegalArgumentException(
                    "--max-batches must be 0 (no limit) or more, got " + v);
        }
        maxBatches = v;
        return this;
    }

    /**
     * The random seed (parameters, shuffles, dropout).
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Sets the seed.
     *
     * @param v the seed
     * @return this
     */
    public RunOptions seed(long v) {
        seed = v;
        return this;
    }

    /**
     * Learning rate, or the lab's default.
     *
     * @param fallback the lab's default
     * @return the value
     */
    public float learningRateOr(float fallback) {
        read.add(LabOption.LEARNING_RATE);
        return learningRate == null ? fallback : learningRate;
    }

    /**
     * Sets the learning rate.
     *
     * @param v positive and finite
     * @return this
     */
    public RunOptions learningRate(Float v) {
        if (v != null && !(v > 0 && Float.isFinite(v))) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + v);
        }
        learningRate = v;
        return this;
    }

    /**
     * Limit on training examples, or null for all (quick experiments on a slice).
     *
     * @return the limit
     */
    public Integer limit() {
        read.add(LabOption.LIMIT);
        return limit;
    }

    /**
     * Sets the training-example limit.
     *
     * @param v at least 1, or null
     * @return this
     */
    public RunOptions limit(Integer v) {
        if (v != null && v < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + v);
        }
        limit = v;
        return this;
    }

    /**
     * {@code --data-dir}, or null.
     *
     * @return the folder
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Sets {@code --data-dir}.
     *
     * @param v the folder
     * @return this
     */
    public RunOptions dataDir(Path v) {
        dataDir = v;
        return this;
    }

    /**
     * The run folder, or the lab's default {@code runs/<lab>}.
     *
     * @param labId the lab
     * @return the folder
     */
    public Path outputOr(String labId) {
        return output == null ? Path.of("runs", labId) : output;
    }

    /**
     * Sets the run folder.
     *
     * @param v the folder
     * @return this
     */
    public RunOptions output(Path v) {
        output = v;
        return this;
    }

    /**
     * The device name ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}).
     *
     * @return the name
     */
    public String device() {
        read.add(LabOption.GPU);
        return device;
    }

    /**
     * Sets the device name.
     *
     * @param v the name
     * @return this
     */
    public RunOptions device(String v) {
        device = v == null ? "auto" : v;
        return this;
    }

    /**
     * No progress bars or per-epoch lines (scripts, tests).
     *
     * @return true when quiet
     */
    public boolean quiet() {
        return quiet;
    }

    /**
     * Sets quiet mode.
     *
     * @param v true for quiet
     * @return this
     */
    public RunOptions quiet(boolean v) {
        quiet = v;
        return this;
    }

    /**
     * Forbid downloads even when {@code DLLAB_OFFLINE} is unset.
     *
     * @return true when offline
     */
    public boolean offline() {
        return offline;
    }

    /**
     * Sets offline mode.
     *
     * @param v true forbids downloads
     * @return this
     */
    public RunOptions offline(boolean v) {
        offline = v;
        return this;
    }

    /**
     * Whether to continue from the run folder's checkpoint.
     *
     * @return true for {@code --resume}
     */
    public boolean resume() {
        read.add(LabOption.RESUME);
        return resume;
    }

    /**
     * Sets resuming.
     *
     * @param v true to continue from {@code RUN_DIR/checkpoint}
     * @return this
     */
    public RunOptions resume(boolean v) {
        resume = v;
        return this;
    }

    /**
     * {@code --dataset}: which of a lab's datasets to run on, or null for the lab's first.
     *
     * @return the name
     */
    public String dataset() {
        read.add(LabOption.DATASET);
        return dataset;
    }

    /**
     * Sets the dataset; the lab checks the name ({@link org.dllab.labs.Lab#datasets()}).
     *
     * @param v a name, or null
     * @return this
     */
    public RunOptions dataset(String v) {
        if (v != null && v.isBlank()) {
            throw new IllegalArgumentException("--dataset must name a dataset, got an empty value");
        }
        dataset = v;
        return this;
    }

    /**
     * Episodes to play (reinforcement learning), or the lab's default.
     *
     * @param fallback the lab's default
     * @return the value
     */
    public int episodesOr(int fallback) {
        read.add(LabOption.EPISODES);
        return episodes == null ? fallback : episodes;
    }

    /**
     * Sets the number of episodes.
     *
     * @param v at least 1
     * @return this
     */
    public RunOptions episodes(Integer v) {
        if (v != null && v < 1) {
            throw new IllegalArgumentException("--episodes must be at least 1, got " + v);
        }
        episodes = v;
        return this;
    }

    /**
     * The lab-specific options given (not left at their defaults): what the harness checks against
     * a lab's {@link LabRun.Spec#options()}. {@code --device} counts only when it asks for a GPU.
     *
     * @return the options
     */
    public Set<LabOption> given() {
        EnumSet<LabOption> given = EnumSet.noneOf(LabOption.class);
        if (epochs != null) {
            given.add(LabOption.EPOCHS);
        }
        if (batchSize != null) {
            given.add(LabOption.BATCH_SIZE);
        }
        if (learningRate != null) {
            given.add(LabOption.LEARNING_RATE);
        }
        if (maxBatches > 0) {
            given.add(LabOption.MAX_BATCHES);
        }
        if (limit != null) {
            given.add(LabOption.LIMIT);
        }
        if (episodes != null) {
            given.add(LabOption.EPISODES);
        }
        if (dataset != null) {
            given.add(LabOption.DATASET);
        }
        if (resume) {
            given.add(LabOption.RESUME);
        }
        String d = device.trim().toLowerCase(java.util.Locale.ROOT);
        if (d.startsWith("gpu") || d.startsWith("cuda")) {
            given.add(LabOption.GPU);
        }
        return given;
    }

    /**
     * The lab-specific options a lab has read so far (tests check that a lab reads each option it
     * declares).
     *
     * @return the options read
     */
    public Set<LabOption> read() {
        return EnumSet.copyOf(read);
    }

    /**
     * The value given for an option, without counting as the lab reading it (for the run record).
     *
     * @param option the option
     * @return its value, or null when not given
     */
    Object value(LabOption option) {
        return switch (option) {
            case EPOCHS -> epochs;
            case BATCH_SIZE -> batchSize;
            case LEARNING_RATE -> learningRate;
            case MAX_BATCHES -> maxBatches;
            case LIMIT -> limit;
            case EPISODES -> episodes;
            case DATASET -> dataset;
            case RESUME -> resume;
            case GPU -> device;
        };
    }
}
