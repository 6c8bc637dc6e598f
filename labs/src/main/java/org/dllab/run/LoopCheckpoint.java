package org.dllab.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Random;
import org.dllab.core.FileTrees;

/**
 * {@code --resume} for a hand-written training loop (a language model trained by steps, an agent by
 * episodes): the lab writes its weights and hands over a state of its own choosing (the step, the
 * curves so far, its random source), kept together in the run folder ({@link LabRun#experiment}'s
 * checkpoint folder) so that one never lags the other. A run started again with {@code --resume}
 * and the same options gets the state back and loads the weights from {@link #restoredWeights()}.
 * The optimizer's moments are not kept (DJL does not expose them): they start afresh, and a
 * learning-rate schedule must be offset by the steps done.
 *
 * @param <S> the loop's state: data only (records, lists, numbers, strings)
 */
public final class LoopCheckpoint<S> {

    /** A writer of a model's weights into a folder. */
    @FunctionalInterface
    public interface WeightsWriter {
        /**
         * Writes the weights.
         *
         * @param folder an empty folder
         * @throws IOException when they cannot be written
         */
        void write(Path folder) throws IOException;
    }

    /** Tests only: runs after each save (to press "Ctrl-C" right after one). */
    static volatile Runnable afterSave;

    private static final Gson GSON =
            new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final LabRun run;
    private final Class<S> type;
    private final Path folder;

    private LoopCheckpoint(LabRun run, Class<S> type) {
        this.run = run;
        this.type = type;
        this.folder = run.checkpointFolder();
    }

    /**
     * The checkpoint of the loop now running in a lab run.
     *
     * @param run the lab run
     * @param type the class of the loop's state
     * @param <S> the state
     * @return the checkpoint
     */
    public static <S> LoopCheckpoint<S> of(LabRun run, Class<S> type) {
        return new LoopCheckpoint<>(run, type);
    }

    /**
     * The state a stopped run saved, when this run resumes it.
     *
     * @return the state, or null to start afresh (no {@code --resume}, or the stopped run never
     *     saved one)
     * @throws IOException when the saved state cannot be read
     * @throws IllegalArgumentException when {@code --resume} has other options than the stopped run
     */
    public S restore() throws IOException {
        if (!run.options().resume()) {
            return null;
        }
        run.requireEarlierRun();
        Path progress = restoredWeights().resolve("progress.json");
        if (!Files.isRegularFile(progress)) {
            return null;
        }
        JsonObject saved = JsonParser.parseString(Files.readString(progress)).getAsJsonObject();
        run.checkSameOptions(saved.get("options"));
        if (run.log() != null) {
            run.log().println("Resuming from " + restoredWeights());
        }
        return GSON.fromJson(saved.get("state"), type);
    }

    /**
     * A writer of a DJL block's weights, for {@link #save}.
     *
     * @param block the block
     * @return the writer
     */
    public static WeightsWriter arraysOf(ai.djl.nn.Block block) {
        return folder -> Checkpoint.writeArrays(block, folder.resolve(Checkpoint.ARRAYS));
    }

    /**
     * Copies the restored weights into a DJL block's arrays in place (so that a trainer made before
     * sees them), after {@link #restore} returned a state.
     *
     * @param block the block, initialised
     * @throws IOException when the weights are missing or not of this block
     */
    public void restoreInto(ai.djl.nn.Block block) throws IOException {
        Checkpoint.readArraysInPlace(block, restoredWeights().resolve(Checkpoint.ARRAYS));
    }

    /**
     * Where the weights of the restored state are.
     *
     * @return the folder the weights writer wrote
     */
    public Path restoredWeights() {
        return folder.resolve("current");
    }

    /**
     * Saves the weights and the state together, replacing the previous ones only once both are
     * written.
     *
     * @param state the loop's state
     * @param weights writes the weights
     * @throws IOException when they cannot be written
     */
    public void save(S state, WeightsWriter weights) throws IOException {
        Files.createDirectories(folder);
        Path staging = Files.createTempDirectory(folder, ".saving-");
        try {
            weights.write(staging);
            JsonObject saved = new JsonObject();
            saved.add("options", run.optionsGiven());
            saved.add("state", GSON.toJsonTree(state, type));
            Files.writeString(staging.resolve("progress.json"), GSON.toJson(saved));
            Path current = restoredWeights();
            Path old = folder.resolve(".old");
            FileTrees.delete(old);
            if (Files.exists(current)) {
                Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, current, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(old);
        } finally {
            FileTrees.delete(staging);
        }
        Runnable hook = afterSave;
        if (hook != null) {
            hook.run();
        }
    }

    /**
     * A random source as text, to keep in a state (so that a resumed loop draws what the
     * uninterrupted one would have).
     *
     * @param random the source
     * @return its state, Base64
     */
    public static String encode(Random random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen in memory", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * The random source {@link #encode} kept.
     *
     * @param state its state
     * @return the source, at the same point of its sequence
     * @throws IOException when the text is not such a state
     */
    public static Random decode(String state) throws IOException {
        try (ObjectInputStream in =
                new ObjectInputStream(
                        new ByteArrayInputStream(Base64.getDecoder().decode(state)))) {
            // a run folder is data: nothing but a Random is ever deserialised from it
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("java.util.Random;!*"));
            Object o = in.readObject();
            if (o.getClass() != Random.class) {
                throw new IOException("not a java.util.Random: " + o.getClass().getName());
            }
            return (Random) o;
        } catch (ClassNotFoundException
                | IllegalArgumentException
                | java.io.InvalidClassException e) {
            throw new IOException("not a saved random source: " + e.getMessage(), e);
        }
    }
}
