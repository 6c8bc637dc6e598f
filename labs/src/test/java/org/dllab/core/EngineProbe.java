package org.dllab.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child-JVM half of {@link OfflineEngineTest}: refuses every URL before a socket could open, and
 * counts them.
 */
public final class EngineProbe {

    private EngineProbe() {}

    /**
     * Loads the engine and reports.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        AtomicInteger requested = new AtomicInteger();
        ProxySelector.setDefault(
                new ProxySelector() {
                    @Override
                    public List<Proxy> select(URI uri) {
                        requested.incrementAndGet();
                        // Throwing here stops HttpURLConnection before it connects: no packet
                        // leaves the machine.
                        throw new IllegalStateException("network access attempted: " + uri);
                    }

                    @Override
                    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
                });
        DjlRuntime.prepare();
        Engine engine = Engine.getInstance();
        try (NDManager m = NDManager.newBaseManager()) {
            float sum = m.create(new float[] {1, 2, 3}).sum().getFloat();
            System.out.println(
                    "engine=" + engine.getEngineName() + " " + engine.getVersion() + " sum=" + sum);
        }
        System.out.println(
                "offline="
                        + Utils.isOfflineMode()
                        + " tracking-opt-out="
                        + Boolean.parseBoolean(Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")));
        System.out.println("urls-requested=" + requested.get());
    }
}
