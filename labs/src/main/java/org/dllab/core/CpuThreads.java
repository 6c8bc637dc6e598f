package org.dllab.core;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op threads (how many cores one operation is split across) for the work at hand.
 *
 * <p>Splitting pays for large operations and costs for small ones: each parallel region wakes the
 * other threads and waits for them. Measured on the 2-core machine (docs/benchmarks.md, "Threads"):
 * the week-5 MNIST MLP (batch 64) trains at 30–32 k samples/s on one thread against 21–22 k on two;
 * the stories260K Llama generates 358–391 tokens/s on one against 308–310; but HW2's CNN runs at
 * 1,293 samples/s on one against 1,788 on two, and a Transformer step (32 x 256 tokens) takes 179
 * ms against 121 ms. libtorch's default (all cores) stays for everything else; a lab of small
 * operations asks for one thread with {@link #forSmallOperations(Device)} — and on a shared machine
 * it then uses one core instead of fighting for two.
 *
 * <p>A count the user chose wins: the DJL property {@value #PROPERTY} or {@code OMP_NUM_THREADS}.
 */
public final class CpuThreads implements AutoCloseable {

    /** DJL's property for libtorch's intra-op threads, read when the engine starts. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private final int previous;

    private CpuThreads(int previous) {
        this.previous = previous;
    }

    /**
     * One intra-op thread until {@link #close()}, unless the user chose a count or the work runs on
     * a GPU.
     *
     * @param device where the lab computes
     * @return the scope (close it to restore the previous count)
     */
    public static CpuThreads forSmallOperations(Device device) {
        DjlRuntime.engine(null);
        int now = JniUtils.getNumThreads();
        if (chosenByUser() || device.isGpu()) {
            return new CpuThreads(-1);
        }
        JniUtils.setNumThreads(1);
        return new CpuThreads(now);
    }

    /**
     * libtorch's intra-op threads now.
     *
     * @return the count
     */
    public static int current() {
        DjlRuntime.engine(null);
        return JniUtils.getNumThreads();
    }

    /**
     * Whether the user chose the count (the DJL property or {@code OMP_NUM_THREADS}).
     *
     * @return true when dllab leaves it alone
     */
    public static boolean chosenByUser() {
        return System.getProperty(PROPERTY) != null || System.getenv("OMP_NUM_THREADS") != null;
    }

    /** Restores the count from before. */
    @Override
    public void close() {
        if (previous > 0) {
            JniUtils.setNumThreads(previous);
        }
    }
}
