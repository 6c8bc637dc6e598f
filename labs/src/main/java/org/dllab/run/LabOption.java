package org.dllab.run;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An option of {@code dllab run} that only some labs honour. Each lab declares the ones it reads
 * ({@link LabRun.Spec#options()}); giving it another is a usage error naming those it takes, never
 * a silent no-op. {@code --seed}, {@code --data-dir}, {@code --output}, {@code --quiet}, {@code
 * --offline} and {@code --device cpu} apply to every lab.
 */
public enum LabOption {
    /** {@code --epochs}: passes over the training data. */
    EPOCHS("--epochs"),
    /** {@code --batch-size}. */
    BATCH_SIZE("--batch-size"),
    /** {@code --lr}. */
    LEARNING_RATE("--lr"),
    /** {@code --max-batches}: a smoke run's cap on batches (or steps) per pass. */
    MAX_BATCHES("--max-batches"),
    /** {@code --limit}: a seeded slice of the training examples. */
    LIMIT("--limit"),
    /** {@code --episodes}: reinforcement-learning episodes (week 15), not epochs. */
    EPISODES("--episodes"),
    /** {@code --dataset}: one of the lab's datasets. */
    DATASET("--dataset"),
    /** {@code --resume}: continue from the run folder's checkpoint. */
    RESUME("--resume"),
    /** {@code --device gpu[:N]}: the lab puts its model on the GPU when asked. */
    GPU("--device gpu");

    private final String flag;

    /**
     * The options of a lab that trains its models with the usual knobs: {@code --epochs
     * --batch-size --lr --max-batches --limit} and {@code --device gpu}, plus any others it takes.
     *
     * @param more further options (e.g. {@link #DATASET}, {@link #RESUME})
     * @return the set
     */
    public static Set<LabOption> training(LabOption... more) {
        EnumSet<LabOption> all =
                EnumSet.of(EPOCHS, BATCH_SIZE, LEARNING_RATE, MAX_BATCHES, LIMIT, GPU);
        all.addAll(List.of(more));
        return all;
    }

    LabOption(String flag) {
        this.flag = flag;
    }

    /**
     * The option as typed.
     *
     * @return e.g. {@code --batch-size}
     */
    public String flag() {
        return flag;
    }

    /**
     * The key of its value in {@code run.json}'s {@code config}.
     *
     * @return e.g. {@code batch_size}
     */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return flag.toLowerCase(Locale.ROOT);
    }
}
