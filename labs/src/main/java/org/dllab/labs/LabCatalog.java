package org.dllab.labs;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.dllab.labs.week02.GradientDescentLab;
import org.dllab.labs.week03.BackpropLab;
import org.dllab.labs.week04.OptimizersLab;
import org.dllab.labs.week05.LossesLab;
import org.dllab.labs.week05.MnistMlp;
import org.dllab.labs.week06.CifarCnnLab;
import org.dllab.labs.week07.RegularizationLab;

/** Every lab {@code dllab} can run, in course order. */
public final class LabCatalog {

    private static final List<Lab> LABS =
            List.<Lab>of(new GradientDescentLab(), new BackpropLab(), new OptimizersLab(), new MnistMlp(), new LossesLab(), new CifarCnnLab(), new RegularizationLab(),
                    new org.dllab.labs.week08.ImdbRnnLab(), new org.dllab.labs.week08.CharLstmLab(),
                    new org.dllab.labs.week10.AttentionLab(), new org.dllab.labs.week11.VitLab(), new org.dllab.labs.week11.PretrainingLab(), new org.dllab.labs.week11.FineTuningLab(),
                    new org.dllab.labs.week12.GptLab(), new org.dllab.labs.week12.LlamaLab(), new org.dllab.labs.week13.QuantizationLab(), new org.dllab.labs.week13.LoraLab(), new org.dllab.labs.week14.EfficientTrainingLab(), new org.dllab.labs.week14.GnnLab(), new org.dllab.labs.week15.RlLab()).stream().sorted(Comparator.comparingInt(Lab::week).thenComparing(Lab::id)).toList();

    private LabCatalog() {}

    /**
     * All labs, by week.
     *
     * @return the labs
     */
    public static List<Lab> all() {
        return LABS;
    }

    /**
     * Finds a lab by id.
     *
     * @param id e.g. {@code mnist-mlp}
     * @return the lab
     * @throws IllegalArgumentException naming the known labs when none matches
     */
    public static Lab find(String id) {
        return LABS.stream()
                .filter(l -> l.id().equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown lab '" + id + "'; known labs: "
                                + LABS.stream().map(Lab::id).collect(Collectors.joining(", "))
                                + " (see 'dllab labs')"));
    }
}
