package org.dllab.labs.week13;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading and writing a block's parameter values as Java arrays (compression works on them, then
 * writes back).
 */
public final class Weights {

    private Weights() {}

    /**
     * A copy of every parameter's values, by name.
     *
     * @param block an initialised block
     * @return name to values, in the block's order
     */
    public static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /**
     * Writes values back into the parameters with the same names.
     *
     * @param block an initialised block
     * @param values name to values, as from {@link #snapshot}
     */
    public static void restore(Block block, Map<String, float[]> values) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            float[] v = values.get(p.getKey());
            if (v != null) {
                overwrite(p.getValue().getArray(), v);
            }
        }
    }

    /**
     * Overwrites an array's values in place, in libtorch's memory. (Not {@code
     * NDArray.set(float[])}: on the CPU that repoints the tensor at a Java buffer instead of
     * copying into it.)
     *
     * @param array the destination
     * @param values as many values, row-major
     */
    public static void overwrite(NDArray array, float[] values) {
        if (values.length != array.size()) {
            throw new IllegalArgumentException(
                    values.length + " values for an array of shape " + array.getShape());
        }
        boolean grad = array.hasGradient();
        array.setRequiresGradient(false);
        try (NDArray source = array.getManager().create(values, array.getShape())) {
            array.muli(0).addi(source);
        }
        array.setRequiresGradient(grad);
    }

    /**
     * Whether a parameter is a weight matrix or filter bank (quantised and pruned), not a bias or a
     * norm's scale.
     *
     * @param name the parameter's name
     * @param shape its shape
     * @return true for weights of two or more dimensions
     */
    public static boolean isWeightTensor(String name, long[] shape) {
        return name.endsWith("weight") && shape.length >= 2;
    }
}
