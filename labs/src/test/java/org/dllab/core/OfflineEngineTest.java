package org.dllab.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine loads from the jars alone: a fresh JVM with an empty DJL cache, none of the offline
 * variables set (only {@link DjlRuntime#prepare()} in code), and a proxy selector that fails the
 * run on any URL the JVM tries to open. It must compute, extract libtorch into the empty cache, and
 * have asked for no URL at all.
 */
class OfflineEngineTest {

    @TempDir Path cache;

    @Test
    void engineLoadsWithEmptyCacheAndNoNetwork() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        EngineProbe.class.getName());
        pb.environment().remove("DJL_OFFLINE");
        pb.environment().remove("OPT_OUT_TRACKING");
        pb.environment().put("DJL_CACHE_DIR", cache.toString());
        pb.environment().put("ENGINE_CACHE_DIR", cache.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "engine probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("sum=6.0"), out);
        assertTrue(out.contains("offline=true tracking-opt-out=true"), out);
        assertTrue(out.contains("urls-requested=0"), out);
        try (Stream<Path> files = Files.walk(cache)) {
            List<String> libs =
                    files.map(f -> f.getFileName().toString())
                            .filter(n -> n.contains("torch"))
                            .toList();
            assertTrue(
                    !libs.isEmpty(),
                    "libtorch should have been extracted from the jar into the empty cache");
        }
    }
}
