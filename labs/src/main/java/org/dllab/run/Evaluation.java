package org.dllab.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;

/** Scoring a trained block outside a {@code Trainer}: after quantization, pruning, reloading. */
public final class Evaluation {

    private Evaluation() {}

    /**
     * Accuracy of a block in evaluation mode (dropout off, batch norm on its running statistics).
     *
     * @param block an initialised block
     * @param test the data, with the class indices as the first label
     * @return the fraction right
     * @throws Exception when a batch cannot be read
     */
    public static double accuracy(Block block, ArrayDataset test) throws Exception {
        long right = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            for (Batch b : test.getData(m)) {
                try (b) {
                    NDArray logits = block.forward(ps, b.getData(), false).singletonOrThrow();
                    right +=
                            logits.argMax(1)
                                    .eq(b.getLabels().head().toType(DataType.INT64, false))
                                    .sum()
                                    .getLong();
                }
            }
        }
        return right / (double) test.size();
    }
}
