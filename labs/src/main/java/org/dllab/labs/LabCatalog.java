package org.dllab.labs;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dllab.labs.week02.GradientDescentLab;
import org.dllab.labs.week03.BackpropLab;
import org.dllab.labs.week04.OptimizersLab;
import org.dllab.labs.week05.LossesLab;
import org.dllab.labs.week05.MnistMlp;
import org.dllab.labs.week06.CifarCnnLab;
import org.dllab.labs.week07.RegularizationLab;
import org.dllab.labs.week08.CharLstmLab;
import org.dllab.labs.week08.ImdbRnnLab;
import org.dllab.labs.week10.AttentionLab;
import org.dllab.labs.week11.FineTuningLab;
import org.dllab.labs.week11.PretrainingLab;
import org.dllab.labs.week11.VitLab;
import org.dllab.labs.week12.GptLab;
import org.dllab.labs.week12.LlamaLab;
import org.dllab.labs.week13.LoraLab;
import org.dllab.labs.week13.QuantizationLab;
import org.dllab.labs.week14.EfficientTrainingLab;
import org.dllab.labs.week14.GnnLab;
import org.dllab.labs.week15.RlLab;

/**
 * Every lab {@code dllab} can run, in course order: one per line, each id {@code wNN-...} with NN
 * its week.
 */
public final class LabCatalog {

    private static final List<Lab> LABS =
            Stream.<Lab>of(
                            new GradientDescentLab(),
                            new BackpropLab(),
                            new OptimizersLab(),
                            new MnistMlp(),
                            new LossesLab(),
                            new CifarCnnLab(),
                            new RegularizationLab(),
                            new ImdbRnnLab(),
                            new CharLstmLab(),
                            new AttentionLab(),
                            new VitLab(),
                            new PretrainingLab(),
                            new FineTuningLab(),
                            new GptLab(),
                            new LlamaLab(),
                            new QuantizationLab(),
                            new LoraLab(),
                            new EfficientTrainingLab(),
                            new GnnLab(),
                            new RlLab())
                    .sorted(Comparator.comparingInt(Lab::week).thenComparing(Lab::id))
                    .toList();

    /**
     * Other names a lab answers to: {@code mnist-mlp}, the README's first command, from before ids
     * carried the week.
     */
    private static final Map<String, String> ALIASES = Map.of("mnist-mlp", MnistMlp.ID);

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
     * The other names labs answer to.
     *
     * @return alias to lab id
     */
    public static Map<String, String> aliases() {
        return ALIASES;
    }

    /**
     * Finds a lab by id or alias.
     *
     * @param id e.g. {@code w05-mnist-mlp} or {@code mnist-mlp}
     * @return the lab
     * @throws IllegalArgumentException naming the known labs when none matches
     */
    public static Lab find(String id) {
        String wanted = ALIASES.getOrDefault(id.toLowerCase(java.util.Locale.ROOT), id);
        return LABS.stream()
                .filter(l -> l.id().equalsIgnoreCase(wanted))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown lab '"
                                                + id
                                                + "'; known labs: "
                                                + LABS.stream()
                                                        .map(Lab::id)
                                                        .collect(Collectors.joining(", "))
                                                + " (see 'dllab labs')"));
    }
}
