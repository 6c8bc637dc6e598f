package org.dllab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import org.dllab.core.Scalars;

/**
 * Attention from its formulas, on NDArrays (the week-10 lecture, line by line). Weights are (in,
 * out): {@code y = x W + b}.
 */
public final class Attention {

    /**
     * Added to the scores of masked positions: e^-1e9 is 0 in float32, and no NaN appears when a
     * row is all masked.
     */
    public static final float MASKED = -1e9f;

    private Attention() {}

    /**
     * Scaled dot-product attention: {@code softmax(Q K^T / sqrt(d) + maskOffset) V}.
     *
     * @param q queries (..., T, d)
     * @param k keys (..., F, d)
     * @param v values (..., F, dv)
     * @param maskOffset added to the scores, broadcastable to (..., T, F): 0 to keep, {@link
     *     #MASKED} to hide; or null
     * @return {output (..., T, dv), attention weights (..., T, F)}
     */
    public static NDList scaledDotProduct(NDArray q, NDArray k, NDArray v, NDArray maskOffset) {
        long d = q.getShape().get(q.getShape().dimension() - 1);
        int last = k.getShape().dimension() - 1;
        NDArray scores =
                Scalars.div(
                        q.matMul(k.swapAxes(last - 1, last)),
                        Math.sqrt(d)); // not .div(float): see Scalars
        if (maskOffset != null) {
            scores = scores.add(maskOffset);
        }
        NDArray weights = scores.softmax(-1);
        return new NDList(weights.matMul(v), weights);
    }

    /**
     * The additive offsets for a padding mask: keys that are padding get {@link #MASKED}, for every
     * query.
     *
     * @param mask (B, F), 1 for real tokens
     * @return (B, 1, 1, F), broadcastable over heads and queries
     */
    public static NDArray paddingOffset(NDArray mask) {
        NDArray m = mask.toType(DataType.FLOAT32, false);
        return m.neg().add(1f).mul(MASKED).expandDims(1).expandDims(1);
    }

    /**
     * Multi-head self-attention: project to queries, keys and values, split E into {@code heads}
     * heads of E / heads, attend in each head, concatenate, project back.
     *
     * @param x (B, S, E)
     * @param maskOffset (B, 1, 1, S) from {@link #paddingOffset}, or a (B, 1, S, S) pattern; or
     *     null
     * @param heads number of heads (divides E)
     * @param w {wq, bq, wk, bk, wv, bv, wo, bo}: weights (E, E), biases (E)
     * @return {output (B, S, E), attention weights (B, heads, S, S)}
     */
    public static NDList multiHead(NDArray x, NDArray maskOffset, int heads, NDArray... w) {
        long b = x.getShape().get(0);
        long s = x.getShape().get(1);
        long e = x.getShape().get(2);
        long h = e / heads;
        NDArray q = split(x.matMul(w[0]).add(w[1]), b, s, heads, h);
        NDArray k = split(x.matMul(w[2]).add(w[3]), b, s, heads, h);
        NDArray v = split(x.matMul(w[4]).add(w[5]), b, s, heads, h);
        NDList attended = scaledDotProduct(q, k, v, maskOffset);
        NDArray joined = attended.get(0).transpose(0, 2, 1, 3).reshape(b, s, e);
        return new NDList(joined.matMul(w[6]).add(w[7]), attended.get(1));
    }

    /** (B, S, E) -> (B, heads, S, E / heads). */
    private static NDArray split(NDArray x, long b, long s, int heads, long h) {
        return x.reshape(b, s, heads, h).transpose(0, 2, 1, 3);
    }

    /**
     * Layer normalisation over the last axis: {@code (x - mean) / sqrt(var + 1e-5) * gamma + beta}.
     *
     * @param x (..., E)
     * @param gamma (E)
     * @param beta (E)
     * @return the normalised array
     */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        int last = x.getShape().dimension() - 1;
        NDArray mean = x.mean(new int[] {last}, true);
        NDArray centred = x.sub(mean);
        NDArray var = centred.square().mean(new int[] {last}, true);
        return centred.div(var.add(1e-5f).sqrt()).mul(gamma).add(beta);
    }

    /**
     * The weights of DJL's attention block in {@link #multiHead}'s order and layout: DJL's {@code
     * Linear} keeps (out, in) weights, ours are (in, out).
     *
     * @param djl an initialised block
     * @return {wq, bq, wk, bk, wv, bv, wo, bo}
     */
    public static NDArray[] weightsOf(ai.djl.nn.transformer.ScaledDotProductAttentionBlock djl) {
        java.util.List<NDArray> w = new java.util.ArrayList<>();
        for (ai.djl.nn.core.Linear l :
                java.util.List.of(
                        djl.getQueryProjection(),
                        djl.getKeyProjection(),
                        djl.getValueProjection(),
                        djl.getResultProjection())) {
            w.add(l.getParameters().get("weight").getArray().transpose());
            w.add(l.getParameters().get("bias").getArray());
        }
        return w.toArray(new NDArray[0]);
    }
}
