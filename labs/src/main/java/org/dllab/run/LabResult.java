package org.dllab.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a lab run produced.
 *
 * @param runDir the run folder ({@code run.json}, plots, parameters)
 * @param epochs per-epoch metrics
 * @param summary the key figures (e.g. {@code test_accuracy})
 */
public record LabResult(Path runDir, List<EpochMetrics> epochs, Map<String, Double> summary) {

    /**
     * The last epoch.
     *
     * @return its metrics
     */
    public EpochMetrics last() {
        return epochs.get(epochs.size() - 1);
    }
}
