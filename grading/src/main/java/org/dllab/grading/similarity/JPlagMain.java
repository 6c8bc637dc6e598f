package org.dllab.grading.similarity;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Runs JPlag in a JVM of Java 21 or newer (JPlag 6 is compiled for Java 21, dllab for Java 17, so
 * JPlag is reached by reflection and never loaded in dllab's own JVM). Prints one line per
 * comparison, {@code PAIR<TAB>first<TAB>second<TAB>average<TAB>maximum}, and writes JPlag's report.
 */
public final class JPlagMain {

    private JPlagMain() {}

    /**
     * Entry point.
     *
     * @param args submissions root, base-code folder, report file
     * @throws Exception when JPlag fails
     */
    public static void main(String[] args) throws Exception {
        File root = new File(args[0]);
        File base = new File(args[1]);
        File report = new File(args[2]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Object language =
                Class.forName("de.jplag.java.JavaLanguage").getConstructor().newInstance();
        Class<?> languageType = Class.forName("de.jplag.Language");
        Class<?> optionsType = Class.forName("de.jplag.options.JPlagOptions");
        Object defaults =
                optionsType
                        .getConstructor(languageType, Set.class, Set.class)
                        .newInstance(language, Set.of(root), Set.of());
        Constructor<?> full = null;
        for (Constructor<?> c : optionsType.getConstructors()) {
            if (c.getParameterCount() == 15) {
                full = c;
            }
        }
        if (full == null) {
            throw new IllegalStateException("unexpected JPlagOptions API");
        }
        Object options =
                full.newInstance(
                        language,
                        call(defaults, "minimumTokenMatch"),
                        call(defaults, "submissionDirectories"),
                        call(defaults, "oldSubmissionDirectories"),
                        base,
                        call(defaults, "subdirectoryName"),
                        call(defaults, "fileSuffixes"),
                        call(defaults, "exclusionFileName"),
                        call(defaults, "similarityMetric"),
                        call(defaults, "similarityThreshold"),
                        0,
                        call(defaults, "clusteringOptions"),
                        false,
                        call(defaults, "mergingOptions"),
                        call(defaults, "normalize"));
        Object result =
                Class.forName("de.jplag.JPlag").getMethod("run", optionsType).invoke(null, options);
        Class<?> factory = Class.forName("de.jplag.reporting.reportobject.ReportObjectFactory");
        Object writer = factory.getConstructor(File.class).newInstance(report);
        factory.getMethod("createAndSaveReport", result.getClass()).invoke(writer, result);
        for (Object c : (List<?>) call(result, "getAllComparisons")) {
            out.println(
                    "PAIR\t"
                            + call(call(c, "firstSubmission"), "getName")
                            + "\t"
                            + call(call(c, "secondSubmission"), "getName")
                            + "\t"
                            + call(c, "similarity")
                            + "\t"
                            + call(c, "maximalSimilarity"));
        }
    }

    private static Object call(Object target, String method) throws Exception {
        Method m = target.getClass().getMethod(method);
        return m.invoke(target);
    }
}
