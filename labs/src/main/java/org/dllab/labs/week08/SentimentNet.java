package org.dllab.labs.week08;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * One file says the whole model: token ids and their mask in, two sentiment logits out.
 *
 * <pre>
 *   ids (N, L), mask (N, L)
 *   -> embedding (N, L, E)
 *   -> BAG: nothing | RNN / LSTM / GRU: one layer, (N, L, H) | BILSTM: forward LSTM ++ backward LSTM, (N, L, 2H)
 *   -> pooling over the real tokens only: mean (BAG), or mean ++ max (recurrent)
 *   -> linear -> 2 logits
 * </pre>
 *
 * <p>Padding is handled exactly, not approximately: every text is padded at the end, so a
 * left-to-right network's outputs at real tokens never see a pad, and pooling skips the pads
 * through the mask. The backward direction of the BiLSTM would read the pads first; instead each
 * sequence is reversed <em>within its own length</em> (pads stay at the end), run left to right by
 * a second LSTM, and reversed back. A padded and an unpadded copy of a text give the same logits
 * (tested).
 */
public final class SentimentNet extends AbstractBlock {

    /** The encoder between the embedding and the pooling. */
    public enum Kind {
        /** Embedding bag: the mean of the word vectors (the baseline). */
        BAG,
        /** Elman RNN, tanh. */
        RNN,
        /** LSTM. */
        LSTM,
        /** GRU. */
        GRU,
        /** Bidirectional LSTM (two LSTMs, the second on each text reversed within its length). */
        BILSTM
    }

    private final Kind kind;
    private final int embedSize;
    private final int hidden;
    private final Parameter embedding;
    private final Block forward;
    private final Block backward;
    private final Block head;

    /**
     * Builds the network.
     *
     * @param kind the encoder
     * @param vocabularySize rows of the embedding table
     * @param embedSize E
     * @param hidden H, the recurrent state size
     */
    public SentimentNet(Kind kind, int vocabularySize, int embedSize, int hidden) {
        this.kind = kind;
        this.embedSize = embedSize;
        this.hidden = hidden;
        // small normal init: word vectors start near zero and similar, training pulls them apart
        embedding =
                addParameter(
                        Parameter.builder()
                                .setName("embedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize, embedSize))
                                .optInitializer(new NormalInitializer(0.1f))
                                .build());
        forward = kind == Kind.BAG ? null : addChildBlock("forward", recurrent(kind, hidden));
        backward =
                kind == Kind.BILSTM
                        ? addChildBlock("backward", recurrent(Kind.LSTM, hidden))
                        : null;
        head = addChildBlock("head", Linear.builder().setUnits(2).build());
    }

    private static Block recurrent(Kind kind, int hidden) {
        return switch (kind) {
            case RNN ->
                    RNN.builder()
                            .setStateSize(hidden)
                            .setNumLayers(1)
                            .optBatchFirst(true)
                            .optReturnState(false)
                            .setActivation(RNN.Activation.TANH)
                            .build();
            case GRU ->
                    GRU.builder()
                            .setStateSize(hidden)
                            .setNumLayers(1)
                            .optBatchFirst(true)
                            .optReturnState(false)
                            .build();
            default ->
                    LSTM.builder()
                            .setStateSize(hidden)
                            .setNumLayers(1)
                            .optBatchFirst(true)
                            .optReturnState(false)
                            .build();
        };
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1).toType(DataType.FLOAT32, false).expandDims(2); // (N, L, 1)
        NDArray table = store.getValue(embedding, ids.getDevice(), training);
        NDArray x =
                ids.getNDArrayInternal()
                        .embedding(ids, table, SparseFormat.DENSE)
                        .head(); // (N, L, E)
        NDArray count = mask.sum(new int[] {1}).maximum(1f); // (N, 1)
        NDArray features;
        if (kind == Kind.BAG) {
            features = x.mul(mask).sum(new int[] {1}).div(count);
        } else {
            NDArray h = forward.forward(store, new NDList(x), training).head();
            if (backward != null) {
                NDArray index = reversalIndex(inputs.get(1), h.getShape().get(2));
                NDArray xr = x.gather(reversalIndex(inputs.get(1), embedSize), 1);
                NDArray hb =
                        backward.forward(store, new NDList(xr), training).head().gather(index, 1);
                h = h.concat(hb, 2);
            }
            NDArray mean = h.mul(mask).sum(new int[] {1}).div(count);
            NDArray max =
                    h.add(mask.sub(1f).mul(1e4f))
                            .max(new int[] {1}); // pads pushed far below any real value
            features = mean.concat(max, 1);
        }
        return head.forward(store, new NDList(features), training);
    }

    /**
     * For each text of length n (from its mask), the positions {@code n-1, ..., 0, n, ..., L-1}:
     * gathering with it reverses the real tokens and leaves the pads where they are. Applying it
     * twice gives back the original order.
     *
     * @param mask (N, L), 1 for real tokens (a prefix of each row)
     * @param width the size of the last axis to gather along
     * @return (N, L, width) int64 indices for {@code gather(., 1)}
     */
    static NDArray reversalIndex(NDArray mask, long width) {
        NDManager m = mask.getManager();
        long n = mask.getShape().get(0);
        long l = mask.getShape().get(1);
        NDArray lengths = mask.toType(DataType.INT64, false).sum(new int[] {1}, true); // (N, 1)
        NDArray t = m.arange(0, l, 1, DataType.INT64).reshape(1, l).broadcast(n, l);
        NDArray reversed = lengths.sub(1).sub(t);
        NDArray real = t.lt(lengths).toType(DataType.INT64, false); // 1 where t < n
        NDArray index = reversed.mul(real).add(t.mul(real.neg().add(1)));
        return index.expandDims(2).broadcast(n, l, width);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 2)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        long l = inputShapes[0].get(1);
        Shape embedded = new Shape(n, l, embedSize);
        long features;
        if (kind == Kind.BAG) {
            features = embedSize;
        } else {
            forward.initialize(manager, dataType, embedded);
            if (backward != null) {
                backward.initialize(manager, dataType, embedded);
            }
            features = 2L * hidden * (backward != null ? 2 : 1);
        }
        head.initialize(manager, dataType, new Shape(n, features));
    }
}
