package org.dllab.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code dllab --version}: dllab's version and the engine's, without loading the engine's natives.
 */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in =
                VersionProvider.class.getResourceAsStream("/dllab-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {
            "dllab " + p.getProperty("version", "dev"),
            "DJL "
                    + Engine.getDjlVersion()
                    + ", PyTorch engine (libtorch 2.7.1), Java "
                    + System.getProperty("java.version")
                    + ", "
                    + System.getProperty("os.name")
                    + " "
                    + System.getProperty("os.arch")
        };
    }
}
