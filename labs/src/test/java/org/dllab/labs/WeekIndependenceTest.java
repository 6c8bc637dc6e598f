package org.dllab.labs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each week's package stands alone: what two weeks share (datasets and their statistics, models
 * reused later, parameter counts, evaluation, schedules, the harness) lives in {@code data}, {@code
 * models}, {@code run}, {@code text} or {@code core}, and those never reach back into a week. A
 * student reading week 13 reads week 13.
 */
class WeekIndependenceTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.dllab");
    }

    @Test
    void noWeekDependsOnAnotherWeek() {
        slices().matching("org.dllab.labs.(week*)..")
                .should()
                .notDependOnEachOther()
                .because(
                        "shared pieces belong in data, models, run, text or core, not in another week")
                .check(classes);
    }

    /**
     * The bytecode rule cannot see a constant (javac copies it in), so the sources are read too.
     */
    @Test
    void noWeeksSourceNamesAnotherWeeksPackage() throws IOException {
        Pattern week = Pattern.compile("org\\.dllab\\.labs\\.(week\\d\\d)");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files =
                Files.walk(Path.of("src", "main", "java", "org", "dllab", "labs"))) {
            for (Path f :
                    files.filter(
                                    f ->
                                            f.toString().endsWith(".java")
                                                    && f.getParent()
                                                            .getFileName()
                                                            .toString()
                                                            .startsWith("week"))
                            .toList()) {
                String own = f.getParent().getFileName().toString();
                Matcher m = week.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(own)) {
                        found.add(f + " names " + m.group());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    @Test
    void theSharedLayersDoNotDependOnAnyLab() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "org.dllab.core..",
                        "org.dllab.data..",
                        "org.dllab.models..",
                        "org.dllab.run..",
                        "org.dllab.text..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.dllab.labs..")
                .check(classes);
    }
}
