package org.dllab.labs.week13;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole models in integer storage: quantise every weight tensor of a block, and save or load the
 * result as an {@link NDList} file (int8 arrays, one byte a weight also for 4 bits; float32 scales;
 * int32 zero points; biases and other parameters in float32).
 */
public final class QuantizedModels {

    private QuantizedModels() {}

    /**
     * Replaces every weight tensor by its quantised-then-dequantised values (int storage, float
     * compute).
     *
     * @param block an initialised block
     * @param granularity per tensor or per channel
     * @param mode symmetric or asymmetric
     * @param bits 8 or 4
     * @return the model's size in that storage: packed integers, scales and zero points, other
     *     parameters at 4 bytes
     */
    public static long quantizeInPlace(
            Block block, Quantizer.Granularity granularity, Quantizer.Mode mode, int bits) {
        long bytes = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            long[] shape = a.getShape().getShape();
            if (!Weights.isWeightTensor(p.getKey(), shape)) {
                bytes += 4 * a.size();
                continue;
            }
            QuantizedTensor q =
                    Quantizer.quantize(a.toFloatArray(), shape, granularity, mode, bits);
            bytes += q.bytes();
            Weights.overwrite(a, q.dequantize());
        }
        return bytes;
    }

    /**
     * Saves a block's weights quantised. Each weight tensor becomes three arrays named {@code
     * name/q}, {@code name/scale}, {@code name/zero}; every other parameter is stored as it is
     * under its name.
     *
     * @param block an initialised block
     * @param granularity per tensor or per channel
     * @param mode symmetric or asymmetric
     * @param bits 8 or 4
     * @param file where to write
     * @throws IOException when it cannot be written
     */
    public static void save(
            Block block,
            Quantizer.Granularity granularity,
            Quantizer.Mode mode,
            int bits,
            Path file)
            throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = new NDList();
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                long[] shape = a.getShape().getShape();
                if (!Weights.isWeightTensor(p.getKey(), shape)) {
                    NDArray copy = m.create(a.toFloatArray(), a.getShape());
                    copy.setName(p.getKey());
                    list.add(copy);
                    continue;
                }
                QuantizedTensor q =
                        Quantizer.quantize(a.toFloatArray(), shape, granularity, mode, bits);
                NDArray values =
                        m.create(
                                java.nio.ByteBuffer.wrap(q.values()),
                                new Shape(shape),
                                DataType.INT8);
                values.setName(p.getKey() + "/q" + bits);
                NDArray scales = m.create(q.scales());
                scales.setName(p.getKey() + "/scale");
                NDArray zeros = m.create(q.zeroPoints());
                zeros.setName(p.getKey() + "/zero");
                list.add(values);
                list.add(scales);
                list.add(zeros);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, list.encode());
        }
    }

    /**
     * Loads a file written by {@link #save} into a block of the same architecture (dequantising the
     * weights).
     *
     * @param block an initialised block
     * @param file the file
     * @throws IOException when it cannot be read, or does not fit the block (names and sizes are
     *     checked)
     */
    public static void load(Block block, Path file) throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                InputStream in = Files.newInputStream(file)) {
            NDList list;
            try {
                list = NDList.decode(m, in);
            } catch (RuntimeException e) {
                throw new IOException(
                        file + " is not a quantised model file (" + e.getMessage() + ")", e);
            }
            java.util.Map<String, NDArray> byName = new java.util.HashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray target = p.getValue().getArray();
                String name = p.getKey();
                float[] values;
                if (byName.containsKey(name)) {
                    values = byName.get(name).toFloatArray();
                } else {
                    NDArray q =
                            byName.get(name + "/q8") != null
                                    ? byName.get(name + "/q8")
                                    : byName.get(name + "/q4");
                    if (q == null
                            || byName.get(name + "/scale") == null
                            || byName.get(name + "/zero") == null) {
                        throw new IOException(
                                file
                                        + " has no values for parameter '"
                                        + name
                                        + "': saved from another network?");
                    }
                    int bits = q.getName().endsWith("q8") ? 8 : 4;
                    byte[] raw = new byte[(int) q.size()];
                    q.toByteBuffer().get(raw);
                    values =
                            new QuantizedTensor(
                                            raw,
                                            byName.get(name + "/scale").toFloatArray(),
                                            byName.get(name + "/zero").toIntArray(),
                                            q.getShape().getShape(),
                                            bits)
                                    .dequantize();
                }
                if (values.length != target.size()) {
                    throw new IOException(
                            file
                                    + ": parameter '"
                                    + name
                                    + "' has "
                                    + values.length
                                    + " values, the network needs "
                                    + target.size());
                }
                Weights.overwrite(target, values);
            }
        }
    }
}
