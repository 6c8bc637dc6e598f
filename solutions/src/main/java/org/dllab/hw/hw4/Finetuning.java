package org.dllab.hw.hw4;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Which parameters train: all but the adapters (pretraining, full fine-tuning), or only the adapters and the head (LoRA). */
public final class Finetuning {

    private Finetuning() {}

    /**
     * Full training: every parameter trains except the LoRA adapters (whose B stays 0, so they change nothing).
     *
     * @param model an initialised model
     */
    public static void trainAllButAdapters(TinyVit model) {
        model.freezeParameters(false);
        for (LoraLinear layer : model.loraLayers()) {
            for (Parameter p : layer.adapter()) {
                p.freeze(true);
            }
        }
    }

    /**
     * LoRA: freeze everything, then let only the adapters' A and B and the classifier head train.
     *
     * @param model an initialised model
     */
    public static void trainOnlyAdaptersAndHead(TinyVit model) {
        // BEGIN SOLUTION model.freezeParameters(true) 凍結全部；再對每個 LoraLinear 的 adapter() 參數 freeze(false)，head 也解凍 | freeze everything with model.freezeParameters(true); then freeze(false) each LoraLinear's adapter() parameters, and unfreeze the head
        model.freezeParameters(true);
        for (LoraLinear layer : model.loraLayers()) {
            for (Parameter p : layer.adapter()) {
                p.freeze(false);
            }
        }
        model.head().freezeParameters(false);
        // END SOLUTION
    }

    /**
     * Counts the numbers that training will change.
     *
     * @param block an initialised block
     * @return the number of scalars in parameters that require a gradient
     */
    public static long trainableParameters(Block block) {
        // BEGIN SOLUTION 走過 block.getParameters()，只數 requiresGradient() 為真的參數的元素個數（getArray().size()） | go through block.getParameters() and add up the element counts (getArray().size()) of the parameters whose requiresGradient() is true
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
        // END SOLUTION
    }

    /**
     * Counts all the numbers of a block.
     *
     * @param block an initialised block
     * @return the number of scalars in all its parameters
     */
    public static long allParameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }
}
