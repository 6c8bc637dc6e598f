package org.dllab.hw.hw4;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dllab.labs.week13.Weights;

/**
 * Post-training int8 quantisation of a whole model (given): every 2-D weight matrix of a linear layer is stored as
 * {@link Int8Weights} and the model computes with the dequantised floats ("weight-only" int8: int8 storage, float
 * compute). Everything else (biases, norms, the class token, the positions) stays float32.
 */
public final class Quantization {

    /**
     * What quantisation did.
     *
     * @param weights the int8 matrices by parameter name
     * @param float32Bytes the model's size before: 4 bytes a parameter
     * @param quantizedBytes after: the int8 matrices with their scales, plus everything else at 4 bytes
     */
    public record Report(Map<String, Int8Weights> weights, long float32Bytes, long quantizedBytes) {

        /**
         * How many times smaller.
         *
         * @return float32Bytes / quantizedBytes
         */
        public double ratio() {
            return float32Bytes / (double) quantizedBytes;
        }
    }

    private Quantization() {}

    /**
     * Quantises every linear layer's weight matrix in place (the parameter's values become the dequantised ones).
     *
     * @param model an initialised or trained model
     * @return the report
     */
    public static Report quantize(Block model) {
        Map<String, Int8Weights> weights = new LinkedHashMap<>();
        long before = 0;
        long after = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray array = p.getValue().getArray();
            before += 4 * array.size();
            Shape shape = array.getShape();
            boolean matrix = p.getKey().endsWith("weight") && shape.dimension() == 2;
            if (!matrix) {
                after += 4 * array.size();
                continue;
            }
            Int8Weights q = Int8Weights.quantize(array.toFloatArray(), (int) shape.get(0), (int) shape.get(1));
            weights.put(p.getKey(), q);
            after += q.bytes();
            Weights.overwrite(array, q.dequantize());
        }
        return new Report(weights, before, after);
    }
}
