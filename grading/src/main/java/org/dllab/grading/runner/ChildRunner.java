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
 */
public final class ChildRunner {

    private ChildRunner() {}

    /**
     * Runs the tests.
     *
     * @param args selectors: {@code Class#method} or {@code Class}
     * @throws Exception when the key cannot be read
     */
    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String keyHex = stdin.readLine();
        System.setIn(new ByteArrayInputStream(new byte[0]));
        ResultChannel channel = new ResultChannel(HexFormat.of().parseHex(keyHex == null ? "" : keyHex.trim()));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DjlRuntime.prepare();
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String a : args) {
            int hash = a.indexOf('#');
            selectors.add(hash < 0 ? DiscoverySelectors.selectClass(a) : DiscoverySelectors.selectMethod(a.substring(0, hash), a.substring(hash + 1)));
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

    private static void emit(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
