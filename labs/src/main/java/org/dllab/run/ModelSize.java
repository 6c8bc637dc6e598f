package org.dllab.run;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** How big a model is: what each lab's report and {@code run.json} say next to its accuracy. */
public final class ModelSize {

    private ModelSize() {}

    /**
     * Counts the parameters of an initialised block (trainable or frozen alike).
     *
     * @param block an initialised block
     * @return the number of scalars
     */
    public static long parameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }
}
