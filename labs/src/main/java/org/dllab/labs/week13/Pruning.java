package org.dllab.labs.week13;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Global magnitude pruning: the smallest weights of all layers together (by absolute value) are set
 * to zero; biases are kept. No retraining, so the curve shows how much of the network is redundant
 * as trained.
 */
public final class Pruning {

    private Pruning() {}

    /**
     * Prunes in place.
     *
     * @param block an initialised block
     * @param sparsity the fraction of weights to zero, in [0, 1)
     * @return the threshold used (weights with |w| below it are now 0)
     */
    public static float prune(Block block, double sparsity) {
        if (sparsity < 0 || sparsity >= 1) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        List<Parameter> weights = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        int total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (Weights.isWeightTensor(p.getKey(), p.getValue().getArray().getShape().getShape())) {
                weights.add(p.getValue());
                float[] v = p.getValue().getArray().toFloatArray();
                values.add(v);
                total += v.length;
            }
        }
        float[] magnitudes = new float[total];
        int k = 0;
        for (float[] v : values) {
            for (float x : v) {
                magnitudes[k++] = Math.abs(x);
            }
        }
        java.util.Arrays.sort(magnitudes);
        int cut = (int) Math.round(sparsity * total);
        float threshold = cut == 0 ? 0 : magnitudes[cut - 1];
        for (int i = 0; i < weights.size(); i++) {
            float[] v = values.get(i);
            for (int j = 0; j < v.length; j++) {
                if (cut > 0 && Math.abs(v[j]) <= threshold) {
                    v[j] = 0;
                }
            }
            Weights.overwrite(weights.get(i).getArray(), v);
        }
        return threshold;
    }
}
