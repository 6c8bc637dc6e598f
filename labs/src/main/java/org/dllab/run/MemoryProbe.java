package org.dllab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process: native tensors live outside the Java heap, so the heap alone
 * says little.
 */
public final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");

    private MemoryProbe() {}

    /**
     * Resident set size in megabytes, from {@code /proc/self/status} on Linux; the Java heap in use
     * elsewhere.
     *
     * @return megabytes
     */
    public static double residentMegabytes() {
        Double rss = procStatus("VmRSS:");
        if (rss != null) {
            return rss;
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }

    /**
     * The most resident memory this process has held so far ({@code VmHWM}), in megabytes; where
     * there is no {@code /proc} (macOS, Windows), null.
     *
     * @return megabytes, or null
     */
    public static Double peakResidentMegabytes() {
        return procStatus("VmHWM:");
    }

    private static Double procStatus(String key) {
        if (Files.isReadable(STATUS)) {
            try {
                for (String line : Files.readAllLines(STATUS)) {
                    if (line.startsWith(key)) {
                        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0])
                                / 1024.0;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
