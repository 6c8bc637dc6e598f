package org.dllab.labs.week14;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam whose whole state — both moments of every parameter and the step counter — can be written
 * into a checkpoint and read back, so that a resumed run continues exactly where it stopped. (DJL's
 * Adam keeps its moments private: a checkpoint of the weights alone resumes a different run, which
 * this week's lab measures.)
 */
public final class CheckpointableAdam {

    private final float learningRate;
    private final float beta1 = 0.9f;
    private final float beta2 = 0.999f;
    private final float epsilon = 1e-8f;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private int t;

    /**
     * Creates the optimizer.
     *
     * @param learningRate the step size
     */
    public CheckpointableAdam(float learningRate) {
        this.learningRate = learningRate;
    }

    /**
     * One step: {@code w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)} for every
     * parameter, in place.
     *
     * @param params the parameters (their order must stay the same)
     * @param grads their gradients, in fp32
     */
    public void step(List<NDArray> params, List<NDArray> grads) {
        t++;
        if (m.isEmpty()) {
            for (NDArray p : params) {
                m.add(p.zerosLike());
                v.add(p.zerosLike());
            }
        }
        float corrected =
                (float)
                        (learningRate
                                * Math.sqrt(1 - Math.pow(beta2, t))
                                / (1 - Math.pow(beta1, t)));
        for (int i = 0; i < params.size(); i++) {
            NDArray g = grads.get(i);
            try (NDArray g1 = g.mul(1 - beta1);
                    NDArray g2 = g.square().muli(1 - beta2)) {
                m.get(i).muli(beta1).addi(g1);
                v.get(i).muli(beta2).addi(g2);
            }
            try (NDArray denom = v.get(i).sqrt().addi(epsilon);
                    NDArray delta = m.get(i).div(denom).muli(corrected)) {
                NDArray p = params.get(i);
                boolean grad = p.hasGradient();
                p.setRequiresGradient(false); // an in-place update is not part of any graph
                p.subi(delta);
                p.setRequiresGradient(grad);
            }
        }
    }

    /**
     * Steps taken.
     *
     * @return t
     */
    public int steps() {
        return t;
    }

    /**
     * Writes the state.
     *
     * @param out the stream
     * @throws IOException when it cannot be written
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(t);
        out.writeInt(m.size());
        for (int i = 0; i < m.size(); i++) {
            writeArray(out, m.get(i));
            writeArray(out, v.get(i));
        }
    }

    /**
     * Reads a state written by {@link #save}.
     *
     * @param in the stream
     * @param manager owns the moments
     * @throws IOException when it cannot be read
     */
    public void load(DataInputStream in, NDManager manager) throws IOException {
        t = in.readInt();
        int n = in.readInt();
        m.clear();
        v.clear();
        for (int i = 0; i < n; i++) {
            m.add(readArray(in, manager));
            v.add(readArray(in, manager));
        }
    }

    static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        byte[] bytes = a.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (NDArray decoded = NDArray.decode(manager, bytes)) {
            return decoded.duplicate(); // a clone in libtorch's memory, not the decoded Java buffer
        }
    }
}
