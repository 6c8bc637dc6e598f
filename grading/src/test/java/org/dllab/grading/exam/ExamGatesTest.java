package org.dllab.grading.exam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dllab.core.DjlRuntime;
import org.dllab.grading.Points;
import org.dllab.grading.runner.SourceCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The midterm's gates, as for homework: the master passes every check; for every variant of every
 * slot, a paper breaking only that slot fails that slot's check and passes all the others (so
 * checks grade slots independently, and a fix that breaks something else is seen by the other
 * checks). Each paper is compiled the way the grader compiles a submission ({@link SourceCompiler})
 * and its checks run in a class loader of their own.
 */
class ExamGatesTest {

    private static final String CHECKS = "org.dllab.grading.midterm.MidtermHiddenTest";

    private static ExamMaster master;

    @BeforeAll
    static void load() throws IOException {
        DjlRuntime.prepare();
        master = ExamMaster.load(Path.of("../solutions"), "midterm");
    }

    @Test
    void theExamHasEnoughSlotsEachWithACheck() throws Exception {
        assertTrue(
                master.slots().size() >= 12, "at least 12 slots, found " + master.slots().size());
        Map<String, Method> checks = checksBySlot(Class.forName(CHECKS));
        for (BugSlot s : master.slots()) {
            assertTrue(s.variants().size() >= 2, "slot " + s.id() + " needs two variants");
            assertTrue(checks.containsKey(s.id()), "slot " + s.id() + " has no check");
            assertTrue(
                    !s.english().isBlank()
                            && s.chinese()
                                    .codePoints()
                                    .anyMatch(
                                            c ->
                                                    Character.UnicodeScript.of(c)
                                                            == Character.UnicodeScript.HAN),
                    "slot " + s.id() + " needs an English and a Chinese description");
        }
        assertEquals(
                master.slots().stream().map(BugSlot::id).sorted().toList(),
                checks.keySet().stream().sorted().toList(),
                "every check grades a slot of the master");
    }

    @Test
    void masterPassesAndEachVariantFailsOnlyItsOwnCheck(@TempDir Path tmp) throws Exception {
        List<String> wrong = new ArrayList<>();
        Map<String, Boolean> clean = run(Map.of(), tmp.resolve("master"));
        clean.forEach(
                (slot, passed) -> {
                    if (!passed) {
                        wrong.add("master: check " + slot + " fails");
                    }
                });
        int papers = 0;
        for (BugSlot s : master.slots()) {
            for (BugSlot.Variant v : s.variants()) {
                Map<String, Boolean> result =
                        run(Map.of(s.id(), v.id()), tmp.resolve(s.id() + "-" + v.id()));
                papers++;
                result.forEach(
                        (slot, passed) -> {
                            if (slot.equals(s.id()) == passed) {
                                wrong.add(
                                        s.id()
                                                + "/"
                                                + v.id()
                                                + ": check "
                                                + slot
                                                + (passed ? " passes" : " fails"));
                            }
                        });
            }
        }
        assertTrue(papers >= 24, "papers checked: " + papers);
        System.out.println(
                "exam gates: master and "
                        + papers
                        + " single-variant papers, "
                        + clean.size()
                        + " checks each");
        assertTrue(wrong.isEmpty(), "gates broken:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void papersCarryNoMarkers() {
        Map<String, String> all = new LinkedHashMap<>();
        master.slots()
                .forEach(s -> all.put(s.id(), s.variants().get(s.variants().size() - 1).id()));
        for (Map<String, String> broken : List.of(Map.<String, String>of(), all)) {
            for (Map.Entry<String, String> f : Paper.render(master, broken).entrySet()) {
                for (String marker : List.of("BUG", "VARIANT", "// >", "zh:", "en:")) {
                    assertTrue(
                            !f.getValue().contains(marker),
                            f.getKey() + " still contains '" + marker + "'");
                }
            }
        }
    }

    /** Compiles a paper and runs every check on it: slot id to passed. */
    static Map<String, Boolean> run(Map<String, String> broken, Path dir) throws Exception {
        Paper.write(master, Paper.render(master, broken), dir);
        Path classes = dir.resolve("classes");
        List<String> errors = SourceCompiler.compile(dir.resolve("src/main/java"), classes);
        assertTrue(errors.isEmpty(), broken + " does not compile: " + errors);
        try (PaperLoader loader = new PaperLoader(classes)) {
            Class<?> checks = Class.forName(CHECKS, true, loader);
            for (Method m : checks.getDeclaredMethods()) {
                if (m.isAnnotationPresent(org.junit.jupiter.api.BeforeAll.class)) {
                    m.setAccessible(true);
                    m.invoke(null);
                }
            }
            Map<String, Boolean> passed = new LinkedHashMap<>();
            for (Map.Entry<String, Method> e : checksBySlot(checks).entrySet()) {
                Method m = e.getValue();
                m.setAccessible(true);
                boolean ok;
                try {
                    var ctor = checks.getDeclaredConstructor();
                    ctor.setAccessible(true);
                    m.invoke(ctor.newInstance());
                    ok = true;
                } catch (InvocationTargetException failed) {
                    ok = false;
                }
                passed.put(e.getKey(), ok);
            }
            return passed;
        }
    }

    private static Map<String, Method> checksBySlot(Class<?> checks) {
        Map<String, Method> out = new LinkedHashMap<>();
        for (Method m : checks.getDeclaredMethods()) {
            Points p = m.getAnnotation(Points.class);
            if (p != null) {
                assertEquals(1, p.blanks().length, m.getName() + " must name exactly one slot");
                out.put(p.blanks()[0], m);
            }
        }
        return out;
    }

    /**
     * Loads the paper's classes and a fresh copy of the checks; everything else from the test's own
     * loader.
     */
    private static final class PaperLoader extends URLClassLoader {

        PaperLoader(Path classes) throws IOException {
            super(new URL[] {classes.toUri().toURL()}, ExamGatesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("org.dllab.exam.")) {
                    c = findClass(name); // the paper's, never the master on the test classpath
                } else if (c == null && name.startsWith("org.dllab.grading.midterm.")) {
                    try (InputStream in =
                            getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }
    }
}
