package org.dllab.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.dllab.data.DataLocations;
import org.dllab.data.DatasetSpec;

/**
 * The course's real data for tests ({@code DLLAB_DATA}, e.g. {@code ../shared/datasets}). A
 * developer without it gets skipped tests; CI ({@code CI=true}) must have it, so there a missing
 * dataset fails instead of skipping.
 */
public final class TestData {

    private TestData() {}

    /**
     * The folder of a dataset, or a skip/failure when it is not available.
     *
     * @param spec the dataset
     * @return its folder
     */
    public static Path require(DatasetSpec spec) {
        Path folder = DataLocations.fromEnvironment(null, true).find(spec);
        if (folder == null) {
            String msg =
                    "dataset '"
                            + spec.name()
                            + "' not found: set DLLAB_DATA (e.g. ../shared/datasets)";
            if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
                fail(msg);
            }
            assumeTrue(false, msg);
        }
        return folder;
    }
}
