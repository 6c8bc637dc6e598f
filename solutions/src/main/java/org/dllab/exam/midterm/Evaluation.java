package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.dllab.data.ImageSet;

/** Accuracy of a network on a set of images. */
public final class Evaluation {

    private Evaluation() {}

    /**
     * The share of a batch classified correctly.
     *
     * @param logits (B, classes)
     * @param labels (B) class indices
     * @return correct / B
     */
    public static double accuracy(NDArray logits, NDArray labels) {
        // BUG argmax
        // en: The prediction for each example is the argmax over the class axis (axis 1); over axis 0 it picks, for each class, the example that scores it highest, and without an axis it is a single index for the whole batch.
        // zh: 每個樣本的預測是沿類別軸（axis 1）取 argmax；沿 axis 0 取到的是每個類別得分最高的樣本，不指定軸則整個批次只得到一個索引。
        NDArray predicted = logits.argMax(1);
        // VARIANT batch-axis: argmax over the batch axis
        // > NDArray predicted = logits.argMax(0);
        // VARIANT no-axis: argmax of the flattened logits
        // > NDArray predicted = logits.argMax();
        // END BUG
        try (NDArray correct = predicted.toType(DataType.INT64, false).eq(labels.toType(DataType.INT64, false))) {
            return correct.sum().getLong() / (double) labels.size();
        }
    }

    /**
     * The accuracy of the network on every image of a set, in evaluation mode.
     *
     * @param net the network
     * @param set the images
     * @param norm the training statistics
     * @param batchSize images per forward pass
     * @return the accuracy
     */
    public static double evaluate(Block net, ImageSet set, Data.Normalization norm, int batchSize) {
        double correct = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int from = 0; from < set.size(); from += batchSize) {
                int to = Math.min(set.size(), from + batchSize);
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = Data.evaluationBatch(batch, set, from, to, norm);
                    NDArray logits = net.forward(store, new NDList(x), false).singletonOrThrow();
                    correct += accuracy(logits, Data.labels(batch, set, from, to)) * (to - from);
                }
            }
        }
        return correct / set.size();
    }
}
