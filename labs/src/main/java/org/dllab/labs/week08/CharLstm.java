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
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A character-level language model, the whole of it: character ids (N, L) -> embedding (N, L, E) ->
 * two-layer LSTM (N, L, H) -> linear (N, L, V): at every position, logits for the next character.
 */
public final class CharLstm extends AbstractBlock {

    private final int embedSize;
    private final int vocabularySize;
    private final Parameter embedding;
    private final Block lstm;
    private final Block head;

    /**
     * Builds the model.
     *
     * @param vocabularySize V, distinct characters
     * @param embedSize E
     * @param hidden H
     * @param layers stacked LSTM layers
     */
    public CharLstm(int vocabularySize, int embedSize, int hidden, int layers) {
        this.embedSize = embedSize;
        this.vocabularySize = vocabularySize;
        embedding =
                addParameter(
                        Parameter.builder()
                                .setName("embedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabularySize, embedSize))
                                .optInitializer(new NormalInitializer(0.1f))
                                .build());
        lstm =
                addChildBlock(
                        "lstm",
                        LSTM.builder()
                                .setStateSize(hidden)
                                .setNumLayers(layers)
                                .optBatchFirst(true)
                                .optReturnState(false)
                                .build());
        head = addChildBlock("head", Linear.builder().setUnits(vocabularySize).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.head();
        NDArray table = store.getValue(embedding, ids.getDevice(), training);
        NDArray x = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).head();
        NDArray h = lstm.forward(store, new NDList(x), training).head();
        return head.forward(store, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {
            new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabularySize)
        };
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), embedSize);
        lstm.initialize(manager, dataType, embedded);
        Shape[] out = lstm.getOutputShapes(new Shape[] {embedded});
        head.initialize(manager, dataType, out[0]);
    }
}
