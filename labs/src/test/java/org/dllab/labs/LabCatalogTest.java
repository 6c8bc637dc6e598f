package org.dllab.labs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The catalog's rules: unique ids named after their week, each lab in its week's package and
 * documented.
 */
class LabCatalogTest {

    @Test
    void idsAreUniqueAndCarryTheirWeekAndPackage() {
        Set<String> seen = new HashSet<>();
        for (Lab lab : LabCatalog.all()) {
            assertTrue(seen.add(lab.id()), "two labs are called " + lab.id());
            String week = String.format(Locale.ROOT, "%02d", lab.week());
            assertTrue(
                    lab.id().matches("w" + week + "-[a-z0-9]+(-[a-z0-9]+)*"),
                    lab.id() + " should start with w" + week + "-");
            assertEquals(
                    "org.dllab.labs.week" + week,
                    lab.getClass().getPackageName(),
                    lab.id() + " lives in another week's package");
            assertTrue(
                    Files.isRegularFile(Path.of("..", "docs", "labs", lab.id() + ".md")),
                    "docs/labs/" + lab.id() + ".md is missing");
        }
        List<Integer> weeks = LabCatalog.all().stream().map(Lab::week).toList();
        assertEquals(weeks.stream().sorted().toList(), weeks, "course order");
    }

    /**
     * The lab's page says which options it takes, as the lab declares them (the usage error points
     * there).
     */
    @Test
    void eachLabsPageListsTheOptionsItDeclares() throws java.io.IOException {
        for (Lab lab : LabCatalog.all()) {
            String takes =
                    lab.options().stream()
                            .filter(o -> o != org.dllab.run.LabOption.GPU)
                            .map(o -> "`" + o.flag() + "`")
                            .collect(java.util.stream.Collectors.joining(" "));
            String line =
                    "**Options** (besides `--seed --data-dir --output --quiet --offline`): "
                            + (takes.isEmpty() ? "none" : takes)
                            + "; "
                            + (lab.cpuOnlyBecause() == null
                                    ? "`--device gpu`"
                                    : "CPU only: " + lab.cpuOnlyBecause())
                            + ".";
            String page = Files.readString(Path.of("..", "docs", "labs", lab.id() + ".md"));
            assertTrue(page.contains(line), "docs/labs/" + lab.id() + ".md should say: " + line);
        }
    }

    @Test
    void aliasesFindTheirLabAndUnknownNamesListTheKnownOnes() {
        LabCatalog.aliases()
                .forEach(
                        (alias, id) -> {
                            assertEquals(id, LabCatalog.find(alias).id());
                            assertTrue(
                                    LabCatalog.all().stream().noneMatch(l -> l.id().equals(alias)),
                                    "an alias must not shadow an id: " + alias);
                        });
        assertEquals("w05-mnist-mlp", LabCatalog.find("MNIST-MLP").id());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LabCatalog.find("w99-nothing"));
        assertTrue(e.getMessage().contains("known labs: w02-gradient-descent"), e.getMessage());
    }
}
