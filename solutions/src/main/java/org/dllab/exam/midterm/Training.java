package org.dllab.exam.midterm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.function.BiFunction;

/** One training step: forward, loss, backward, update. */
public final class Training {

    private Training() {}

    /**
     * Trains the network on one batch.
     *
     * @param net the network
     * @param store its parameter store
     * @param optimizer updates the weights
     * @param loss the loss of (logits, labels)
     * @param x the inputs
     * @param y the labels
     * @return the batch's loss before the update
     */
    public static float step(Block net, ParameterStore store, Optimizer optimizer, BiFunction<NDArray, NDArray, NDArray> loss, NDArray x,
            NDArray y) {
        float value;
        // BUG zero-grad
        // en: libtorch adds every backward pass to the gradients already stored (a new GradientCollector does not clear them in DJL 0.36), so each step starts by zeroing them in place; never zeroed, each update carries the sum of every gradient so far, and g.mul(0) makes a new array and leaves the stored gradient as it was.
        // zh: libtorch 會把每次 backward 的梯度加到已存的梯度上（DJL 0.36 開新的 GradientCollector 並不會清除），所以每一步都要先就地歸零；從不歸零時，每次更新都帶著至今所有梯度的總和，而 g.mul(0) 只會產生新陣列，存著的梯度原封不動。
        for (NDArray w : weights(net)) {
            try (NDArray g = w.getGradient()) {
                g.muli(0);
            }
        }
        // VARIANT never: the gradients are never reset
        // VARIANT not-in-place: the zeroing makes a new array
        // > for (NDArray w : weights(net)) {
        // >     w.getGradient().mul(0);
        // > }
        // END BUG
        // BUG train-step
        // en: A step records the forward pass and the loss inside the gradient collector, calls backward on the scalar loss, then lets the optimizer apply the gradients; without the update nothing is learnt, backward on the logits follows a gradient that is not the loss's.
        // zh: 一個訓練步要在梯度收集器裡做前向與損失、對純量損失呼叫 backward，再讓優化器套用梯度；少了更新就什麼都學不到，對 logits 做 backward 走的不是損失的梯度。
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray l = loss.apply(logits, y);
            collector.backward(l);
            value = l.getFloat();
        }
        optimizer.step(weights(net));
        // VARIANT no-update: the optimizer is never called
        // > try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        // >     NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
        // >     NDArray l = loss.apply(logits, y);
        // >     collector.backward(l);
        // >     value = l.getFloat();
        // > }
        // VARIANT backward-logits: backward starts from the logits instead of the loss
        // > try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        // >     NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
        // >     NDArray l = loss.apply(logits, y);
        // >     collector.backward(logits);
        // >     value = l.getFloat();
        // > }
        // > optimizer.step(weights(net));
        // END BUG
        return value;
    }

    /**
     * The network's weights in a fixed order.
     *
     * @param net the network
     * @return the arrays of its parameters
     */
    public static List<NDArray> weights(Block net) {
        return net.getParameters().values().stream().map(p -> p.getArray()).toList();
    }
}
