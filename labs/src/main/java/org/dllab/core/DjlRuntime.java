package org.dllab.core;

import ai.djl.engine.Engine;

/**
 * The one place that prepares DJL before anything touches it.
 *
 * <p>DJL's engine and tokenizer start-up "call home": unless DJL is offline or tracking is opted
 * out, they read a cloud metadata address (169.254.169.254). On a student's laptop that is a
 * privacy leak, and on CI it is forbidden traffic. Every entry point (CLI, labs' {@code main},
 * tests through surefire) calls {@link #prepare()} first. DJL reads both settings from the
 * environment first and then from system properties, so setting the properties here is enough when
 * the launcher did not already export the variables.
 */
public final class DjlRuntime {

    /**
     * The DJL system property that forbids every download (engine natives, model zoo, datasets).
     */
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";

    /** The DJL setting that turns off the telemetry ping. */
    public static final String TRACKING_PROPERTY = "OPT_OUT_TRACKING";

    private static volatile boolean prepared;

    private DjlRuntime() {}

    /**
     * Sets DJL offline and opts out of tracking. Idempotent; cheap; call it before the first DJL
     * class is used.
     */
    public static void prepare() {
        if (prepared) {
            return;
        }
        synchronized (DjlRuntime.class) {
            // The natives come from the pytorch-native-cpu jar on the classpath, so offline costs
            // nothing.
            System.setProperty(OFFLINE_PROPERTY, "true");
            System.setProperty(TRACKING_PROPERTY, "true");
            // PyTorch is the engine every lab computes with; ONNX Runtime (a test reference) must
            // never become the default
            if (System.getProperty("ai.djl.default_engine") == null
                    && System.getenv("DJL_DEFAULT_ENGINE") == null) {
                System.setProperty("ai.djl.default_engine", "PyTorch");
            }
            // Our own progress bars replace DJL's logging listener; keep DJL's INFO lines out of
            // students' way.
            if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
            prepared = true;
        }
    }

    /**
     * Returns the default engine, prepared offline, seeded when {@code seed} is non-null.
     *
     * @param seed the random seed for DJL and libtorch, or null to leave it alone
     * @return the engine
     */
    public static Engine engine(Integer seed) {
        prepare();
        NativeMemory.hint();
        Engine engine = Engine.getInstance();
        if (seed != null) {
            engine.setRandomSeed(seed);
        }
        return engine;
    }

    /**
     * A one-line description of the engine, for run records and {@code dllab --version}.
     *
     * @return e.g. {@code PyTorch 2.7.1 (DJL 0.36.0)}
     */
    public static String describeEngine() {
        Engine engine = engine(null);
        return engine.getEngineName()
                + " "
                + engine.getVersion()
                + " (DJL "
                + Engine.getDjlVersion()
                + ")";
    }
}
