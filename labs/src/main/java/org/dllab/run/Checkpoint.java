package org.dllab.run;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last good weights of a training run, in {@code RUN_DIR/checkpoint/}: written before the first
 * epoch, after every epoch and where {@code Ctrl-C} stopped the run, never after a NaN or infinite
 * loss (so a diverged run keeps the weights from before it diverged). {@code checkpoint.json} says
 * how many epochs they hold and why they were written; {@code --resume} starts from them.
 *
 * <p>Only the weights are kept: DJL does not expose the optimizer's state, so a resumed run starts
 * Adam's moments afresh (the learning-rate schedule does continue where it stopped).
 */
public final class Checkpoint {

    /** The folder inside a run folder. */
    public static final String FOLDER = "checkpoint";

    private final Model model;
    private final Path dir;

    /**
     * A checkpoint of a model in a run folder.
     *
     * @param model the model (its name names the weights file)
     * @param runDir the run folder
     */
    public Checkpoint(Model model, Path runDir) {
        this(runDir.resolve(FOLDER), model);
    }

    private Checkpoint(Path dir, Model model) {
        this.model = model;
        this.dir = dir;
    }

    /**
     * A checkpoint of a model in a folder of its own (an experiment's, {@link
     * ClassifierTraining#resumable}).
     *
     * @param model the model
     * @param folder where the weights go
     * @return the checkpoint
     */
    static Checkpoint in(Model model, Path folder) {
        return new Checkpoint(folder, model);
    }

    /**
     * Whether weights have been written.
     *
     * @return true when {@code checkpoint.json} is there
     */
    boolean written() {
        return Files.isRegularFile(dir.resolve("checkpoint.json"));
    }

    /**
     * Whether a run folder holds a checkpoint.
     *
     * @param runDir the run folder
     * @return true when {@code checkpoint.json} is there
     */
    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(FOLDER).resolve("checkpoint.json"));
    }

    /**
     * How many epochs a run folder's checkpoint holds, without loading it.
     *
     * @param runDir the run folder
     * @return the epochs
     * @throws IOException when there is no checkpoint, saying where it looked
     */
    public static int epochsDone(Path runDir) throws IOException {
        Path meta = runDir.resolve(FOLDER).resolve("checkpoint.json");
        if (!Files.isRegularFile(meta)) {
            throw new IOException(
                    "--resume: no checkpoint in "
                            + meta.getParent()
                            + "; start the run without --resume (or give its --output)");
        }
        return JsonParser.parseString(Files.readString(meta))
                .getAsJsonObject()
                .get("epochs_done")
                .getAsInt();
    }

    /**
     * Writes the model's weights, replacing the previous checkpoint only once the new one is
     * complete.
     *
     * @param epochsDone epochs the weights have been trained for
     * @param why e.g. {@code "epoch 3"}, {@code "interrupted in epoch 2 after 310 batches"}
     * @throws IOException when the folder cannot be written
     */
    public void save(int epochsDone, String why) throws IOException {
        Files.createDirectories(dir);
        model.setProperty("Epoch", Integer.toString(epochsDone));
        Path staging = Files.createTempDirectory(dir, ".saving-");
        try {
            model.save(staging, model.getName());
            writeArrays(model.getBlock(), staging.resolve(ARRAYS));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p :
                        old.filter(
                                        p ->
                                                p.getFileName().toString().endsWith(".params")
                                                        || p.getFileName()
                                                                .toString()
                                                                .equals(ARRAYS))
                                .toList()) {
                    Files.delete(p);
                }
            }
            try (Stream<Path> fresh = Files.list(staging)) {
                for (Path p : fresh.toList()) {
                    Files.move(p, dir.resolve(p.getFileName()));
                }
            }
        } finally {
            org.dllab.core.FileTrees.delete(staging);
        }
        JsonObject meta = new JsonObject();
        meta.addProperty("model", model.getName());
        meta.addProperty("epochs_done", epochsDone);
        meta.addProperty("why", why);
        meta.addProperty("written", java.time.Instant.now().toString());
        Path tmp = dir.resolve("checkpoint.json.tmp");
        Files.writeString(tmp, meta.toString());
        Files.move(
                tmp,
                dir.resolve("checkpoint.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Loads the checkpoint's weights into the (initialised) model.
     *
     * @return the epochs they hold
     * @throws IOException when there is no usable checkpoint, saying where it looked
     */
    public int restore() throws IOException {
        Path meta = dir.resolve("checkpoint.json");
        if (!Files.isRegularFile(meta)) {
            throw new IOException(
                    "--resume: no checkpoint in "
                            + dir
                            + "; start the run without --resume (or give its --output)");
        }
        JsonObject m = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
        try {
            readArraysInPlace(model.getBlock(), dir.resolve(ARRAYS));
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "--resume: the checkpoint in "
                            + dir
                            + " cannot be loaded ("
                            + e.getMessage()
                            + "); delete the folder and start again",
                    e);
        }
        return m.get("epochs_done").getAsInt();
    }

    /**
     * The weights as an {@code NDList} in the block's parameter order (beside DJL's own {@code
     * .params}, which {@code Model.load} can only read into new arrays: a trainer made before the
     * restore would go on training the old ones).
     */
    static final String ARRAYS = "weights.ndlist";

    /**
     * Writes a block's parameter arrays, named, in its parameter order.
     *
     * @param block the block
     * @param file where
     * @throws IOException when it cannot be written
     */
    static void writeArrays(Block block, Path file) throws IOException {
        NDList list = new NDList();
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            names.add(a.getName());
            a.setName(p.getKey());
            list.add(a);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out);
        } finally {
            for (int i = 0; i < names.size(); i++) {
                list.get(i).setName(names.get(i));
            }
        }
    }

    /**
     * Copies saved weights into a block's parameter arrays in place, so that whatever holds those
     * arrays (a trainer's parameter store) sees the restored values.
     *
     * @param block the block, initialised
     * @param file written by {@link #writeArrays}
     * @throws IOException when the file is missing, unreadable or not of this block
     */
    static void readArraysInPlace(Block block, Path file) throws IOException {
        var params = block.getParameters();
        NDArray first = params.get(0).getValue().getArray();
        try (NDManager tmp = first.getManager().newSubManager();
                InputStream in = Files.newInputStream(file)) {
            NDList saved = NDList.decode(tmp, in);
            if (saved.size() != params.size()) {
                throw new IOException(
                        file + " holds " + saved.size() + " arrays, the model " + params.size());
            }
            for (int i = 0; i < saved.size(); i++) {
                NDArray live = params.get(i).getValue().getArray();
                NDArray from = saved.get(i);
                if (!params.get(i).getKey().equals(from.getName())
                        || !live.getShape().equals(from.getShape())) {
                    throw new IOException(
                            file
                                    + ": array "
                                    + i
                                    + " is "
                                    + from.getName()
                                    + " "
                                    + from.getShape()
                                    + ", the model's "
                                    + params.get(i).getKey()
                                    + " "
                                    + live.getShape());
                }
                from.copyTo(live);
            }
        }
    }

    /**
     * The folder.
     *
     * @return {@code RUN_DIR/checkpoint}
     */
    public Path dir() {
        return dir;
    }
}
