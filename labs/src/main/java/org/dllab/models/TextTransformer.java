package org.dllab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * The course's text Transformer (week 10's sentiment classifier, week 11's BERT-style pretraining,
 * the final project's text template), the whole model in one file, every layer from its formula
 * ({@link Attention}, {@link TransformerEncoder}):
 *
 * <pre>
 *   ids (B, S), mask (B, S)
 *   h = TransformerEncoder(token embedding + learned positions, padding mask)          (B, S, E)
 *   classification, inputs (ids, mask):           mean of h over real tokens -> linear -> (B, classes)
 *   masked language model, inputs (ids, mask, at): h at the flat positions `at` (N)
 *                                                  -> dense + GELU + LayerNorm -> times the token embedding
 *                                                  transposed (tied, as in BERT) + bias      (N, V)
 *                                                  and, for SKEP's word-polarity objective,
 *                                                  h at `at` -> linear                        (N, 2)
 * </pre>
 *
 * <p>The pretraining heads exist only in {@link #pretrainable}; the encoder and the embeddings are
 * shared, so a pretrained checkpoint is loaded as it is and fine-tuned. In evaluation mode the
 * model keeps the last layer's attention weights ({@link #lastAttention()}) for week 10's heat map.
 */
public final class TextTransformer extends AbstractBlock {

    private final int embed;
    private final int classes;
    private final Parameter tokens;
    private final Parameter positions;
    private final TransformerEncoder encoder;
    private final Parameter[] mlm;
    private final Parameter polarityW;
    private final Parameter polarityB;
    private final Parameter classW;
    private final Parameter classB;
    private NDArray lastAttention;

    private TextTransformer(
            int vocabularySize,
            int maxLength,
            int embed,
            int heads,
            int layers,
            int ffn,
            Initializer weights,
            int classes,
            boolean pretrainingHeads) {
        this.embed = embed;
        this.classes = classes;
        // parameters are initialised in this order, then the encoder: the same draws as before the
        // two models were one
        tokens = param("tokens", new Shape(vocabularySize, embed), new NormalInitializer(0.02f));
        positions = param("positions", new Shape(maxLength, embed), new NormalInitializer(0.02f));
        encoder =
                addChildBlock(
                        "encoder", new TransformerEncoder(embed, heads, layers, ffn, weights));
        if (pretrainingHeads) {
            mlm =
                    new Parameter[] {
                        param("mlm_w", new Shape(embed, embed), weights),
                        param("mlm_b", new Shape(embed), new ConstantInitializer(0f)),
                        param("mlm_gamma", new Shape(embed), new ConstantInitializer(1f)),
                        param("mlm_beta", new Shape(embed), new ConstantInitializer(0f)),
                        param("mlm_bias", new Shape(vocabularySize), new ConstantInitializer(0f))
                    };
            polarityW = param("polarity_w", new Shape(embed, 2), new XavierInitializer());
            polarityB = param("polarity_b", new Shape(2), new ConstantInitializer(0f));
        } else {
            mlm = null;
            polarityW = null;
            polarityB = null;
        }
        classW = param("class_w", new Shape(embed, classes), new XavierInitializer());
        classB = param("class_b", new Shape(classes), new ConstantInitializer(0f));
    }

    /**
     * A classifier (week 10, the final project's text template): DJL's default Xavier weights.
     *
     * @param vocabularySize token ids
     * @param maxLength longest sequence (position embeddings)
     * @param embed E
     * @param heads attention heads (divides E)
     * @param layers L
     * @param ffn units of the feed-forward layer
     * @param classes the number of logits
     * @return the model
     */
    public static TextTransformer classifier(
            int vocabularySize,
            int maxLength,
            int embed,
            int heads,
            int layers,
            int ffn,
            int classes) {
        return new TextTransformer(
                vocabularySize,
                maxLength,
                embed,
                heads,
                layers,
                ffn,
                new XavierInitializer(),
                classes,
                false);
    }

    /**
     * A BERT-style encoder with masked-language-model and word-polarity heads and a two-class head
     * (week 11): a feed-forward layer of 2E, PyTorch's linear initialisation (small models pretrain
     * faster with it).
     *
     * @param vocabularySize V
     * @param maxLength longest input
     * @param embed E
     * @param heads attention heads
     * @param layers encoder layers
     * @return the model
     */
    public static TextTransformer pretrainable(
            int vocabularySize, int maxLength, int embed, int heads, int layers) {
        return new TextTransformer(
                vocabularySize,
                maxLength,
                embed,
                heads,
                layers,
                2 * embed,
                TransformerEncoder.PYTORCH_LINEAR,
                2,
                true);
    }

    private Parameter param(String name, Shape shape, Initializer init) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(shape)
                        .optInitializer(init)
                        .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.get(1);
        long s = ids.getShape().get(1);
        NDArray table = value(store, tokens, ids, training);
        // from the ids: a result belongs to its first operand's manager (the table's is the
        // model's)
        NDArray x =
                ids.getNDArrayInternal()
                        .embedding(ids, table, SparseFormat.DENSE)
                        .head()
                        .add(value(store, positions, ids, training).get("0:" + s));
        NDList encoded =
                encoder.forward(store, new NDList(x, Attention.paddingOffset(mask)), training);
        NDArray h = encoded.get(0);
        if (!training) {
            lastAttention = encoded.get(1);
        }
        if (inputs.size() > 2) {
            if (mlm == null) {
                throw new IllegalArgumentException(
                        "a classifier has no masked-language-model head: build it with TextTransformer.pretrainable");
            }
            NDArray at = inputs.get(2);
            NDArray picked = h.reshape(-1, embed).get(at); // (N, E)
            NDArray t =
                    picked.matMul(value(store, mlm[0], ids, training))
                            .add(value(store, mlm[1], ids, training));
            t =
                    Attention.layerNorm(
                            t.getNDArrayInternal().gelu(),
                            value(store, mlm[2], ids, training),
                            value(store, mlm[3], ids, training));
            NDArray polarity =
                    picked.matMul(value(store, polarityW, ids, training))
                            .add(value(store, polarityB, ids, training));
            return new NDList(
                    t.matMul(table.transpose()).add(value(store, mlm[4], ids, training)), polarity);
        }
        NDArray m = mask.toType(DataType.FLOAT32, false).expandDims(2);
        NDArray pooled = h.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}).maximum(1f));
        return new NDList(
                pooled.matMul(value(store, classW, ids, training))
                        .add(value(store, classB, ids, training)));
    }

    private static NDArray value(
            ParameterStore store, Parameter p, NDArray like, boolean training) {
        return store.getValue(p, like.getDevice(), training);
    }

    /**
     * The last layer's attention weights from the latest evaluation-mode pass (they belong to that
     * pass's manager).
     *
     * @return (B, heads, S, S), or null before any
     */
    public NDArray lastAttention() {
        return lastAttention;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (inputShapes.length > 2) {
            return new Shape[] {
                new Shape(inputShapes[2].get(0), tokens.getShape().get(0)),
                new Shape(inputShapes[2].get(0), 2)
            };
        }
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(
                manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1), embed));
    }
}
