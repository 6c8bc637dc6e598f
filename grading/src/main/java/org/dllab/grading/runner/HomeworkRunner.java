package org.dllab.grading.runner;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;
import org.dllab.grading.hw1.Hw1HiddenTest;
import org.dllab.grading.hw1.Hw1PublicTest;
import org.dllab.grading.hw2.Hw2HiddenTest;
import org.dllab.grading.hw2.Hw2PublicTest;

/**
 * Grades some homework code: runs the homework's test classes in a child JVM whose classpath has that code in place
 * of the template, and scores each test from the points table of the test classes loaded here (the trusted side).
 * A test that reports nothing (the child crashed or timed out) scores 0.
 */
public final class HomeworkRunner {

    private static final Map<String, List<Class<?>>> TESTS = Map.of(
            "hw1", List.of(Hw1PublicTest.class, Hw1HiddenTest.class),
            "hw2", List.of(Hw2PublicTest.class, Hw2HiddenTest.class));

    private HomeworkRunner() {}

    /**
     * The homework that have graded tests.
     *
     * @return e.g. {@code [hw1]}
     */
    public static List<String> homeworks() {
        return TESTS.keySet().stream().sorted().toList();
    }

    /**
     * The test classes of a homework.
     *
     * @param homework e.g. {@code hw1}
     * @return the classes
     */
    public static List<Class<?>> testClasses(String homework) {
        List<Class<?>> c = TESTS.get(homework);
        if (c == null) {
            throw new IllegalArgumentException("no graded tests for '" + homework + "'; known: " + homeworks());
        }
        return c;
    }

    /**
     * Runs and scores a homework's tests.
     *
     * @param homework e.g. {@code hw1}
     * @param code the compiled homework classes to grade (a folder or jar)
     * @param visibilities which tests to run (e.g. only VISIBLE for a student's public run)
     * @param timeoutSeconds wall-clock limit of the whole run
     * @return one outcome per graded test, in declaration order
     * @throws IOException when the child cannot start
     * @throws InterruptedException when interrupted
     */
    public static List<TestOutcome> run(String homework, Path code, List<Visibility> visibilities, long timeoutSeconds)
            throws IOException, InterruptedException {
        Map<String, Points> table = new java.util.LinkedHashMap<>();
        List<String> classes = new ArrayList<>();
        for (Class<?> c : testClasses(homework)) {
            boolean any = false;
            for (Method m : Arrays.stream(c.getDeclaredMethods()).sorted(java.util.Comparator.comparing(Method::getName)).toList()) {
                Points p = m.getAnnotation(Points.class);
                if (p != null && visibilities.contains(p.visibility())) {
                    table.put(c.getName() + "#" + m.getName(), p);
                    any = true;
                }
            }
            if (any) {
                classes.add(c.getName());
            }
        }
        Map<String, String[]> reported = new HashMap<>();
        java.util.Deque<String> otherOutput = new java.util.ArrayDeque<>();
        if (!classes.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-XX:+UseParallelGC", "-Dai.djl.offline=true",
                    "-DOPT_OUT_TRACKING=true", "-cp", childClasspath(code), ChildRunner.class.getName()));
            cmd.addAll(classes);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DJL_OFFLINE", "true");
            pb.environment().put("OPT_OUT_TRACKING", "true");
            Process p = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith(ChildRunner.PREFIX)) {
                            String[] f = line.substring(ChildRunner.PREFIX.length()).split("\t", 4);
                            if (f.length == 4 && table.containsKey(f[0])) {
                                synchronized (reported) {
                                    reported.putIfAbsent(f[0], f);
                                }
                            }
                        } else {
                            synchronized (otherOutput) {
                                otherOutput.addLast(line.length() > 300 ? line.substring(0, 300) : line);
                                if (otherOutput.size() > 8) {
                                    otherOutput.removeFirst();
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // the child is gone; what was reported stays
                }
            }, "grader-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            reader.join(5000);
        }
        List<TestOutcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, Points> e : table.entrySet()) {
            Points pts = e.getValue();
            String[] f;
            synchronized (reported) {
                f = reported.get(e.getKey());
            }
            boolean passed = f != null && f[1].equals("SUCCESSFUL");
            String output = passed ? "" : (pts.feedback().isEmpty() ? "" : pts.feedback() + " ")
                    + (f == null ? "(no result: the test run crashed or timed out; its last output: " + lastOutput(otherOutput) + ")" : f[3]);
            outcomes.add(new TestOutcome(e.getKey(), passed ? pts.value() : 0, pts.value(), passed, pts.visibility(),
                    Arrays.asList(pts.blanks()), output.trim(), f == null ? 0 : Long.parseLong(f[2])));
        }
        return outcomes;
    }

    private static String lastOutput(java.util.Deque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "none" : String.join(" | ", lines);
        }
    }

    /** This JVM's classpath with the homework code swapped: no template or solution classes but {@code code}. */
    static String childClasspath(Path code) {
        List<String> entries = new ArrayList<>();
        entries.add(code.toAbsolutePath().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = e.replace('\\', '/');
            if (n.contains("homework-templates") || n.contains("/solutions/") || n.contains("dllab-solutions")) {
                continue;
            }
            entries.add(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
