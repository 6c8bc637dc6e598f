package org.dllab.grading.runner;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.dllab.core.DjlRuntime;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The child-JVM side, trusted code that starts before any student class: reads the run's key from standard input,
 * then runs the selected tests with the JUnit Platform Launcher and reports each start and result as a signed line
 * on the original standard output (student code that replaces {@code System.out} does not silence it, and lines it
 * prints itself cannot carry a valid signature).
 *
 * <p>A watchdog thread, also started before any student class, stops the JVM when the code under test starts more
 * than {@link #MAX_THREADS} threads or any process (a thread or fork bomb would otherwise run until the test's
 * timeout, taking the machine's process table with it); it first reports why on the signed channel.
 */
public final class ChildRunner {

    /** Live Java threads above which the run is stopped (the runner and JUnit use about 20, DJL a few more). */
    public static final int MAX_THREADS = 256;

    /** First argument of the warm-up run that {@link ChildJvmArchive} records: trusted code only, no homework. */
    public static final String WARM_UP = "--warm-up";

    private ChildRunner() {}

    /**
     * Selects a test method by class and name. A name alone does not select a method that takes parameters (an
     * injected {@code @TempDir}): JUnit then reports a discovery error and runs nothing, so the method is looked up here.
     */
    private static DiscoverySelector methodSelector(String className, String method) {
        try {
            Class<?> type = Class.forName(className, false, ChildRunner.class.getClassLoader());
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(method)) {
                        return DiscoverySelectors.selectMethod(type, m);
                    }
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // fall through: JUnit reports the class it cannot load
        }
        return DiscoverySelectors.selectMethod(className, method);
    }

    /**
     * Runs the tests.
     *
     * @param args selectors: {@code Class#method} or {@code Class}
     * @throws Exception when the key cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(WARM_UP)) {
            warmUp(java.util.Arrays.asList(args).subList(1, args.length));
            return;
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String keyHex = stdin.readLine();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        ResultChannel channel = new ResultChannel(HexFormat.of().parseHex(keyHex == null ? "" : keyHex.trim()));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DjlRuntime.prepare();
        // load the engine before the watchdog: JNA runs "ldconfig -p" while it loads, a process the watchdog would
        // blame on the first test
        ai.djl.engine.Engine.getInstance();
        startWatchdog(out, channel);
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String a : args) {
            int hash = a.indexOf('#');
            selectors.add(hash < 0 ? DiscoverySelectors.selectClass(a) : methodSelector(a.substring(0, hash), a.substring(hash + 1)));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            private long start;

            @Override
            public void executionStarted(TestIdentifier id) {
                if (id.getSource().orElse(null) instanceof MethodSource ms) {
                    start = System.nanoTime();
                    emit(out, ResultChannel.START + channel.sign(ms.getClassName() + "#" + ms.getMethodName()));
                }
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!(id.getSource().orElse(null) instanceof MethodSource ms)) {
                    return;
                }
                String message = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("");
                message = message.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
                if (message.length() > 500) {
                    message = message.substring(0, 500) + "...";
                }
                emit(out, ResultChannel.RESULT + channel.sign(ms.getClassName() + "#" + ms.getMethodName() + "\t" + result.getStatus()
                        + "\t" + (System.nanoTime() - start) / 1_000_000 + "\t" + message));
            }
        });
        out.flush();
    }

    /** Loads what every test run loads (the engine, a few operators, autograd, JUnit's discovery of the tests). */
    private static void warmUp(List<String> testClasses) {
        DjlRuntime.prepare();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            ai.djl.ndarray.NDArray w = m.randomNormal(new ai.djl.ndarray.types.Shape(4, 4));
            w.setRequiresGradient(true);
            ai.djl.ndarray.NDArray y = m.ones(new ai.djl.ndarray.types.Shape(2, 4)).matMul(w).add(1).exp().neg().maximum(0).sum();
            gc.backward(y);
            w.getGradient().toFloatArray();
        }
        List<DiscoverySelector> selectors = new ArrayList<>();
        testClasses.forEach(c -> selectors.add(DiscoverySelectors.selectClass(c)));
        try {
            LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request().selectors(selectors).build());
        } catch (RuntimeException | LinkageError expected) {
            // the homework classes are absent on purpose; what loaded so far is what the archive needs
        }
    }

    private static void startWatchdog(PrintStream out, ResultChannel channel) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Thread dog = new Thread(() -> {
            for (long tick = 0; ; tick++) {
                String reason = null;
                if (threads.getThreadCount() > MAX_THREADS) {
                    reason = "the test started more than " + MAX_THREADS + " threads (a thread bomb?)";
                } else if (tick % 5 == 0) {
                    ProcessHandle child = ProcessHandle.current().children().findAny().orElse(null);
                    if (child != null) {
                        reason = "the test started a process (" + child.info().command().orElse("?") + "); graded code may not run programs";
                    }
                }
                if (reason != null) {
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                    emit(out, ResultChannel.ABORT + channel.sign(reason));
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    // student code interrupting the watchdog does not stop it
                }
            }
        }, "dllab-watchdog");
        dog.setDaemon(true);
        dog.setPriority(Thread.MAX_PRIORITY);
        dog.start();
    }

    private static void emit(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
