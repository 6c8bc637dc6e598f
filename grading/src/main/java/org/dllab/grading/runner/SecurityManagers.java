package org.dllab.grading.runner;

/**
 * Whether this Java runtime can still enforce a security manager, which keeps homework code inside
 * the test JVM from the result channel's key and the runner's objects ({@link StudentPolicy}). Java
 * 17 to 23 do (with {@code -Djava.security.manager=allow}); from Java 24 on it is gone (JEP 486),
 * and the grader refuses to grade untrusted code there.
 */
final class SecurityManagers {

    /** Why grading is refused on a runtime without one. */
    static final String MISSING =
            "this Java runtime ("
                    + Runtime.version()
                    + ") has no security manager, which the grader needs to keep "
                    + "homework code from forging its results; grade with a JDK 17 to 23 (the one dllab builds with), or use the Gradescope export";

    private SecurityManagers() {}

    /**
     * Whether the test JVM (the same runtime as this one) can install one.
     *
     * @return true on Java 17 to 23
     */
    static boolean available() {
        return Runtime.version().feature() < 24;
    }
}
