package org.dllab.exam.midterm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/** Reading a recurrent network's outputs for a batch of sequences padded to one length. */
public final class Sequences {

    private Sequences() {}

    /**
     * Each sequence's output at its own last real step (what a classifier of whole sequences reads).
     *
     * @param outputs (B, T, H) the outputs at every step, sequences padded at the end to T steps
     * @param lengths each sequence's real length, 1..T
     * @return (B, H)
     */
    public static NDArray lastStep(NDArray outputs, int[] lengths) {
        NDList rows = new NDList();
        for (int i = 0; i < lengths.length; i++) {
            // BUG last-step
            // en: A padded sequence ends at step length - 1, not at the batch's last step: reading step T - 1 (as the course's week-8 notebook does) gives every shorter sequence the output after its padding, and step length is one past its end.
            // zh: 補齊過的序列在第 length - 1 步結束，不是批次的最後一步：讀第 T - 1 步（第 8 週筆記本就這樣寫）會讓較短的序列拿到讀完補齊之後的輸出，讀第 length 步則超過了它的結尾。
            rows.add(outputs.get(i).get(lengths[i] - 1));
            // VARIANT padded-end: the batch's last step for every sequence
            // > rows.add(outputs.get(i).get(outputs.getShape().get(1) - 1));
            // VARIANT one-past: the step after each sequence's last
            // > rows.add(outputs.get(i).get(Math.min(lengths[i], outputs.getShape().get(1) - 1)));
            // END BUG
        }
        return NDArrays.stack(rows);
    }
}
