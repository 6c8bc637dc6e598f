package org.dllab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process: native tensors live outside the Java heap, so the heap alone says little. */
public final class MemoryProbe {

    private MemoryProbe() {}

    /**
     * Resident set size in megabytes, from {@code /proc/self/status} on Linux; the Java heap in use elsewhere.
     *
     * @return megabytes
     */
    public static double residentMegabytes() {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        String kb = line.substring(6).trim().split("\\s+")[0];
                        return Long.parseLong(kb) / 1024.0;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // fall through to the heap figure
            }
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }
}
