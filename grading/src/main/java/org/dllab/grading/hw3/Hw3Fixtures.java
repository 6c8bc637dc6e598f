package org.dllab.grading.hw3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dllab.models.Attention;

/**
 * Shared by the public and hidden tests of homework 3: seeded inputs and the reference built from
 * week 10.
 */
final class Hw3Fixtures {

    private Hw3Fixtures() {}

    static NDArray random(NDManager m, Random r, long... shape) {
        int n = (int) new Shape(shape).size();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(shape));
    }

    /** A (B, S) mask whose row b has lengths[b] real tokens, then padding. */
    static NDArray mask(NDManager m, long s, int... lengths) {
        long[] v = new long[(int) (lengths.length * s)];
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                v[(int) (b * s + t)] = 1;
            }
        }
        return m.create(v, new Shape(lengths.length, s));
    }

    /**
     * A child block whose name ends with the given one (DJL prefixes child names with their index).
     */
    static Block child(Block parent, String name) {
        for (Pair<String, Block> c : parent.getChildren()) {
            if (c.getKey().endsWith(name)) {
                return c.getValue();
            }
        }
        throw new AssertionError(
                parent.getClass().getSimpleName()
                        + " has no child block named "
                        + name
                        + ": keep the blocks the constructor creates");
    }

    static NDArray param(Block b, String name) {
        for (Pair<String, Parameter> p : b.getDirectParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    /**
     * The {wq, bq, wk, bk, wv, bv, wo, bo} of week 10's {@link Attention#multiHead} (weights (in,
     * out)) from the four Linear children of a MultiHeadAttention (DJL's Linear keeps (out, in)).
     */
    static NDArray[] attentionWeights(Block mha) {
        List<NDArray> w = new ArrayList<>();
        for (String name : new String[] {"query", "key", "value", "output"}) {
            Block linear = child(mha, name);
            w.add(param(linear, "weight").transpose());
            w.add(param(linear, "bias"));
        }
        return w.toArray(new NDArray[0]);
    }

    /** Week 10's multi-head attention with the student's weights: {output, weights}. */
    static NDList referenceAttention(Block mha, NDArray x, NDArray mask, int heads) {
        return Attention.multiHead(
                x,
                mask == null ? null : Attention.paddingOffset(mask),
                heads,
                attentionWeights(mha));
    }

    /** The pre-LN block from its formula, in evaluation mode, with the student's weights. */
    static NDArray referenceBlock(Block block, NDArray x, NDArray mask, int heads) {
        Block n1 = child(block, "norm1");
        Block n2 = child(block, "norm2");
        Block l1 = child(block, "linear1");
        Block l2 = child(block, "linear2");
        NDArray h = Attention.layerNorm(x, param(n1, "gamma"), param(n1, "beta"));
        x = x.add(referenceAttention(child(block, "attention"), h, mask, heads).get(0));
        NDArray g = Attention.layerNorm(x, param(n2, "gamma"), param(n2, "beta"));
        NDArray f = g.matMul(param(l1, "weight").transpose()).add(param(l1, "bias"));
        f = f.maximum(0f).matMul(param(l2, "weight").transpose()).add(param(l2, "bias"));
        return x.add(f);
    }

    static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
