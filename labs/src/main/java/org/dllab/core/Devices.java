package org.dllab.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Turns the {@code --device} option into a DJL {@link Device}, with errors a student can act on.
 */
public final class Devices {

    private Devices() {}

    /**
     * Parses a device name.
     *
     * @param name {@code auto} (a GPU when the engine sees one, else the CPU), {@code cpu}, {@code
     *     gpu} or {@code gpu:N}
     * @return the device
     * @throws IllegalArgumentException when the name is unknown or the GPU is not there
     */
    public static Device parse(String name) {
        String n = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        Engine engine = DjlRuntime.engine(null);
        int gpus = engine.getGpuCount();
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.equals("cuda") || n.startsWith("gpu:") || n.startsWith("cuda:")) {
            int id = 0;
            int colon = n.indexOf(':');
            if (colon >= 0) {
                try {
                    id = Integer.parseInt(n.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "--device " + name + ": expected gpu:N with a number N");
                }
            }
            if (id < 0 || id >= gpus) {
                throw new IllegalArgumentException(
                        "--device "
                                + name
                                + ": this engine sees "
                                + gpus
                                + " GPU(s). GPU use needs the CUDA build (./mvnw -Pcuda, see README, 'GPU')"
                                + " and an NVIDIA driver; use --device cpu to run on the CPU.");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException(
                "--device " + name + ": unknown device; use auto, cpu, gpu or gpu:N");
    }
}
