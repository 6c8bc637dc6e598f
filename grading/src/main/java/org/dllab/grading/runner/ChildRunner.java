package org.dllab.grading.runner;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.dllab.core.DjlRuntime;
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
 * The child-JVM side: runs the given test classes with the JUnit Platform Launcher and prints one result line per
 * test method, {@code DLLAB-RESULT<TAB>class#method<TAB>status<TAB>millis<TAB>message}.
 */
public final class ChildRunner {

    /** Prefix of a result line. */
    public static final String PREFIX = "DLLAB-RESULT\t";

    private ChildRunner() {}

    /**
     * Runs the tests.
     *
     * @param args fully qualified test class names
     */
    public static void main(String[] args) {
        DjlRuntime.prepare();
        PrintStream out = System.out;
        Launcher launcher = LauncherFactory.create();
        List<org.junit.platform.engine.DiscoverySelector> selectors = new ArrayList<>();
        for (String c : args) {
            selectors.add(DiscoverySelectors.selectClass(c));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        launcher.execute(request, new TestExecutionListener() {
            private long start;

            @Override
            public void executionStarted(TestIdentifier id) {
                start = System.nanoTime();
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest() || !(id.getSource().orElse(null) instanceof MethodSource ms)) {
                    return;
                }
                String message = result.getThrowable().map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).orElse("");
                message = message.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
                if (message.length() > 500) {
                    message = message.substring(0, 500) + "...";
                }
                synchronized (out) {
                    out.println(PREFIX + ms.getClassName() + "#" + ms.getMethodName() + "\t" + result.getStatus() + "\t"
                            + (System.nanoTime() - start) / 1_000_000 + "\t" + message);
                    out.flush();
                }
            }
        });
    }
}
