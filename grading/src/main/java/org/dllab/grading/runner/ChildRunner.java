package org.dllab.grading.runner;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 * The child-JVM side, trusted code that starts before any student class: reads the run's key from
 * standard input, then runs the selected tests with the JUnit Platform Launcher and reports each
 * start and result as a signed line on the original standard output (student code that replaces
 * {@code System.out} does not silence it, and lines it prints itself cannot carry a valid
 * signature).
 *
 * <p>A watchdog thread, also started before any student class, stops the JVM when the code under
 * test starts more than {@link #MAX_THREADS} threads or any process (a thread or fork bomb would
 * otherwise run until the test's timeout, taking the machine's process table with it); it first
 * reports why on the signed channel.
 */
public final class ChildRunner {

    /**
     * Live Java threads above which the run is stopped (the runner and JUnit use about 20, DJL a
     * few more).
     */
    public static final int MAX_THREADS = 256;

    /**
     * First argument of the warm-up run that {@link ChildJvmArchive} records: trusted code only, no
     * homework.
     */
    public static final String WARM_UP = "--warm-up";

    /** Header of the hidden classes on standard input: {@code HIDDEN n}. */
    static final String HIDDEN = "HIDDEN ";

    /**
     * Loads DJL's tokenizers native library while only trusted code runs (student code may not load
     * libraries, and the sandbox's engine cache is read-only): for homework whose code calls the
     * tokenizers.
     */
    static final String PRELOAD_TOKENIZERS = "--preload-tokenizers";

    /** The argument after which the selectors are the hidden tests', run after the public ones. */
    static final String HIDDEN_PHASE = "--hidden";

    private ChildRunner() {}

    /**
     * Selects a test method by class and name. A name alone does not select a method that takes
     * parameters (an injected {@code @TempDir}): JUnit then reports a discovery error and runs
     * nothing, so the method is looked up here.
     */
    private static DiscoverySelector methodSelector(
            ClassLoader loader, String className, String method) {
        try {
            Class<?> type = Class.forName(className, false, loader);
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
     * <p>Arguments: {@code --student DIR} (the homework classes: the only code the security policy
     * restricts), {@code --read DIR} and {@code --write DIR} (what that code may read and write,
     * repeatable), {@code --no-security-manager} (trusted code on a JDK without one), then the
     * public tests' selectors, {@code Class#method}, then {@code --hidden} and the hidden tests'.
     * Standard input: the run's key (hex); after the public tests have run and the runner has said
     * so on the signed channel, {@code HIDDEN n} and n lines {@code binaryName base64}: the hidden
     * tests' classes, which exist nowhere on the child's file system.
     *
     * @param args the options and selectors
     * @throws Exception when the key cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(WARM_UP)) {
            warmUp(java.util.Arrays.asList(args).subList(1, args.length));
            return;
        }
        Path student = null;
        List<Path> readable = new ArrayList<>();
        List<Path> writable = new ArrayList<>();
        boolean securityManager = true;
        List<String> publicTests = new ArrayList<>();
        List<String> hiddenTests = new ArrayList<>();
        List<String> tests = publicTests;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--student" -> student = Path.of(args[++i]);
                case "--read" -> readable.add(Path.of(args[++i]));
                case "--write" -> writable.add(Path.of(args[++i]));
                case "--no-security-manager" -> securityManager = false;
                case PRELOAD_TOKENIZERS -> ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
                case HIDDEN_PHASE -> tests = hiddenTests;
                default -> tests.add(args[i]);
            }
        }
        // the original standard input stays the runner's: the hidden classes come on it after the
        // public phase
        BufferedReader stdin =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String keyHex = stdin.readLine();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        ResultChannel channel =
                new ResultChannel(HexFormat.of().parseHex(keyHex == null ? "" : keyHex.trim()));
        keyHex = null;
        PrintStream out =
                new PrintStream(
                        new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DjlRuntime.prepare();
        // load the engine before the watchdog: JNA runs "ldconfig -p" while it loads, a process the
        // watchdog would
        // blame on the first test
        ai.djl.engine.Engine.getInstance();
        startWatchdog(out, channel);
        Launcher launcher = LauncherFactory.create();
        TestExecutionListener listener =
                new TestExecutionListener() {
                    private long start;

                    @Override
                    public void executionStarted(TestIdentifier id) {
                        if (id.getSource().orElse(null) instanceof MethodSource ms) {
                            start = System.nanoTime();
                            emit(
                                    out,
                                    ResultChannel.START
                                            + channel.sign(
                                                    ms.getClassName() + "#" + ms.getMethodName()));
                        }
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (!(id.getSource().orElse(null) instanceof MethodSource ms)) {
                            return;
                        }
                        String message =
                                result.getThrowable().map(ChildRunner::describe).orElse("");
                        message = message.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
                        if (message.length() > 500) {
                            message = message.substring(0, 500) + "...";
                        }
                        emit(
                                out,
                                ResultChannel.RESULT
                                        + channel.sign(
                                                ms.getClassName()
                                                        + "#"
                                                        + ms.getMethodName()
                                                        + "\t"
                                                        + result.getStatus()
                                                        + "\t"
                                                        + (System.nanoTime() - start) / 1_000_000
                                                        + "\t"
                                                        + message));
                    }
                };
        if (securityManager && student != null) {
            String refused = restrict(new StudentPolicy(student, readable, writable));
            if (refused != null) {
                emit(out, ResultChannel.ABORT + channel.sign(refused));
                out.flush();
                Runtime.getRuntime().halt(4);
            }
        }
        ClassLoader app = ChildRunner.class.getClassLoader();
        if (!publicTests.isEmpty()) {
            launcher.execute(request(app, publicTests), listener);
        }
        if (!hiddenTests.isEmpty()) {
            // every public result is out: only now do the hidden tests' classes exist in this JVM,
            // so nothing the
            // homework code learns from them can reach a public test's message
            emit(out, ResultChannel.PHASE + channel.sign("hidden"));
            ClassLoader hidden = new HiddenTestLoader(readHiddenClasses(stdin), app);
            Thread.currentThread().setContextClassLoader(hidden);
            launcher.execute(request(hidden, hiddenTests), listener);
        }
        out.flush();
    }

    private static LauncherDiscoveryRequest request(ClassLoader loader, List<String> tests)
            throws ClassNotFoundException {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String a : tests) {
            int hash = a.indexOf('#');
            selectors.add(
                    hash < 0
                            ? DiscoverySelectors.selectClass(Class.forName(a, false, loader))
                            : methodSelector(loader, a.substring(0, hash), a.substring(hash + 1)));
        }
        return LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
    }

    /**
     * A failure's text: its class and message. Student code may throw its own exception type whose
     * {@code getMessage()} runs under the security policy like any student method; if it fails, its
     * class alone.
     */
    private static String describe(Throwable t) {
        try {
            String text = t.getClass().getSimpleName() + ": " + t.getMessage();
            Throwable cause = t.getCause();
            // an exception in a static initialiser says nothing itself: its cause does
            return cause == null || cause == t
                    ? text
                    : text
                            + " (caused by "
                            + cause.getClass().getSimpleName()
                            + ": "
                            + cause.getMessage()
                            + ")";
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            return t.getClass().getSimpleName();
        }
    }

    /**
     * Installs the policy and the security manager.
     *
     * @return null when in force, else why not (a JDK from 24 on has none)
     */
    @SuppressWarnings("removal")
    private static String restrict(StudentPolicy policy) {
        try {
            // resolve everything a permission check needs now, so no check ever has to load a class
            // first
            policy.implies(
                    ChildRunner.class.getProtectionDomain(), new RuntimePermission("exitVM"));
            new GradingSecurityManager.TrustedCodePermission("exitVM")
                    .implies(new RuntimePermission("exitVM"));
            java.security.Policy.setPolicy(policy);
            System.setSecurityManager(new GradingSecurityManager());
            return null;
        } catch (UnsupportedOperationException | SecurityException e) {
            return "this Java runtime ("
                    + Runtime.version()
                    + ") cannot restrict homework code (no security manager): grade with a JDK 17 to 23";
        }
    }

    private static Map<String, byte[]> readHiddenClasses(BufferedReader in)
            throws java.io.IOException {
        Map<String, byte[]> classes = new HashMap<>();
        String header = in.readLine();
        if (header == null || !header.startsWith(HIDDEN)) {
            return classes;
        }
        int n = Integer.parseInt(header.substring(HIDDEN.length()).trim());
        for (int i = 0; i < n; i++) {
            String line = in.readLine();
            int space = line.indexOf(' ');
            classes.put(
                    line.substring(0, space),
                    Base64.getDecoder().decode(line.substring(space + 1)));
        }
        return classes;
    }

    /**
     * Defines the hidden tests' classes (their whole package) from the bytes the grader sent, ahead
     * of its parent: a class of the same name elsewhere on the classpath (a fake test among the
     * homework's classes) is never the one that runs.
     */
    private static final class HiddenTestLoader extends java.security.SecureClassLoader {

        private final Map<String, byte[]> classes;
        private final java.security.CodeSource source;

        HiddenTestLoader(Map<String, byte[]> classes, ClassLoader parent)
                throws java.net.MalformedURLException {
            super(parent);
            this.classes = classes;
            this.source =
                    new java.security.CodeSource(
                            new java.net.URL("file:/dllab-hidden-tests/"),
                            (java.security.CodeSigner[]) null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && classes.containsKey(name)) {
                    byte[] b = classes.get(name);
                    c = defineClass(name, b, 0, b.length, source);
                }
                if (c == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /**
     * Loads what every test run loads (the engine, a few operators, autograd, JUnit's discovery of
     * the tests).
     */
    private static void warmUp(List<String> testClasses) {
        DjlRuntime.prepare();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager();
                ai.djl.training.GradientCollector gc =
                        ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            ai.djl.ndarray.NDArray w = m.randomNormal(new ai.djl.ndarray.types.Shape(4, 4));
            w.setRequiresGradient(true);
            ai.djl.ndarray.NDArray y =
                    m.ones(new ai.djl.ndarray.types.Shape(2, 4))
                            .matMul(w)
                            .add(1)
                            .exp()
                            .neg()
                            .maximum(0)
                            .sum();
            gc.backward(y);
            w.getGradient().toFloatArray();
        }
        List<DiscoverySelector> selectors = new ArrayList<>();
        testClasses.forEach(c -> selectors.add(DiscoverySelectors.selectClass(c)));
        try {
            LauncherFactory.create()
                    .discover(
                            LauncherDiscoveryRequestBuilder.request().selectors(selectors).build());
        } catch (RuntimeException | LinkageError expected) {
            // the homework classes are absent on purpose; what loaded so far is what the archive
            // needs
        }
    }

    private static void startWatchdog(PrintStream out, ResultChannel channel) {
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        Thread dog =
                new Thread(
                        () -> {
                            for (long tick = 0; ; tick++) {
                                String reason = null;
                                if (threads.getThreadCount() > MAX_THREADS) {
                                    reason =
                                            "the test started more than "
                                                    + MAX_THREADS
                                                    + " threads (a thread bomb?)";
                                } else if (tick % 5 == 0) {
                                    ProcessHandle child =
                                            ProcessHandle.current()
                                                    .children()
                                                    .findAny()
                                                    .orElse(null);
                                    if (child != null) {
                                        reason =
                                                "the test started a process ("
                                                        + child.info().command().orElse("?")
                                                        + "); graded code may not run programs";
                                    }
                                }
                                if (reason != null) {
                                    ProcessHandle.current()
                                            .descendants()
                                            .forEach(ProcessHandle::destroyForcibly);
                                    emit(out, ResultChannel.ABORT + channel.sign(reason));
                                    Runtime.getRuntime().halt(3);
                                }
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    // student code interrupting the watchdog does not stop it
                                }
                            }
                        },
                        "dllab-watchdog");
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
