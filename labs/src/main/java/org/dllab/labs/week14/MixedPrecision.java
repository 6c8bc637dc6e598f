package org.dllab.labs.week14;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.dllab.core.Scalars;

/**
 * Mixed-precision training (Micikevicius et al. 2018): the forward and backward passes run on fp16
 * copies of the weights, the optimizer updates fp32 master weights; the loss is multiplied by a
 * scale before the backward pass so that small fp16 gradients do not flush to zero, and the scale
 * adapts — halved (and the step skipped) when a gradient overflows, doubled after {@link
 * #GROWTH_INTERVAL} clean steps.
 */
public final class MixedPrecision {

    /**
     * The first and largest loss scale, 2^15. PyTorch's GradScaler starts at 2^16 and scales a
     * float32 loss; here the loss itself is fp16 (DJL's casts are not differentiable, so the graph
     * cannot leave fp16), and fp16 stops at 65,504.
     */
    public static final float INITIAL_SCALE = 32768f;

    /** Clean steps before the scale doubles (PyTorch's default). */
    public static final int GROWTH_INTERVAL = 2000;

    private float scale = INITIAL_SCALE;
    private int clean;
    private int skipped;

    /**
     * Refuses precisions the engine cannot train in, with the reason.
     *
     * @param type the compute precision asked for
     * @param device where it would run
     * @throws IllegalArgumentException for bf16 on the CPU (it aborts the JVM in this libtorch
     *     build) and for types that are not floating point
     */
    public static void check(DataType type, Device device) {
        if (type == DataType.BFLOAT16 && !device.isGpu()) {
            throw new IllegalArgumentException(
                    "bf16 on the CPU is refused: in the libtorch of DJL 0.36 (PyTorch 2.7.1) it aborts the JVM."
                            + " Use fp16 or fp32 on the CPU, or bf16 on a CUDA GPU (--device gpu).");
        }
        if (type != DataType.FLOAT16 && type != DataType.FLOAT32 && type != DataType.BFLOAT16) {
            throw new IllegalArgumentException(
                    "training precision must be fp32, fp16 or bf16, not " + type);
        }
    }

    /**
     * One training step.
     *
     * @param master the fp32 master weights (updated in place)
     * @param optimizer updates the master weights
     * @param x the batch, fp32
     * @param y its labels
     * @param half the compute precision (FLOAT16; FLOAT32 runs the same code at full precision)
     * @return the batch's loss, or NaN when the step was skipped for an overflow
     */
    public float step(
            List<NDArray> master,
            CheckpointableAdam optimizer,
            NDArray x,
            NDArray y,
            DataType half) {
        check(half, x.getDevice());
        NDManager m = x.getManager();
        List<NDArray> copies = new ArrayList<>();
        for (NDArray p : master) {
            // a new leaf each step, so gradients start at zero (toType to the same type would
            // return the master itself)
            NDArray c = p.getDataType() == half ? p.duplicate() : p.toType(half, false);
            c.attach(m);
            c.setRequiresGradient(true);
            copies.add(c);
        }
        float loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = PlainMlp.loss(PlainMlp.forward(x.toType(half, false), copies), y);
            loss = l.toType(DataType.FLOAT32, false).getFloat();
            gc.backward(Scalars.mul(l, scale));
        }
        List<NDArray> grads = new ArrayList<>();
        boolean finite = true;
        for (NDArray c : copies) {
            NDArray g =
                    Scalars.div(
                            c.getGradient().toType(DataType.FLOAT32, false),
                            scale); // unscale in fp32
            finite &=
                    !g.isInfinite()
                            .any()
                            .logicalOr(g.isNaN().any())
                            .getBoolean(); // the gradient, scaled, overflowed fp16
            grads.add(g);
        }
        if (!afterBackward(finite)) {
            return Float.NaN;
        }
        optimizer.step(master, grads);
        return loss;
    }

    /**
     * The scaler's rule, after each backward pass: an overflow halves the scale and skips the step;
     * every {@link #GROWTH_INTERVAL} clean steps double it (up to {@link #INITIAL_SCALE}).
     *
     * @param finite whether every gradient was finite
     * @return whether to take the optimizer step
     */
    public boolean afterBackward(boolean finite) {
        if (!finite) {
            scale /= 2;
            clean = 0;
            skipped++;
            return false;
        }
        if (++clean >= GROWTH_INTERVAL && scale < INITIAL_SCALE) {
            scale *= 2;
            clean = 0;
        }
        return true;
    }

    /**
     * The current loss scale.
     *
     * @return the scale
     */
    public float scale() {
        return scale;
    }

    /**
     * Steps skipped because a gradient overflowed.
     *
     * @return the count
     */
    public int skipped() {
        return skipped;
    }
}
