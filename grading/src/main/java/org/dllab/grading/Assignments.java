package org.dllab.grading;

/**
 * Where an assignment's code lives: homework {@code hwN} in {@code org.dllab.hw.hwN}, an exam
 * {@code ID} in {@code org.dllab.exam.ID} (a '-' in the id becomes '_'). The grader stages,
 * compiles and fences student code by it.
 */
public final class Assignments {

    private Assignments() {}

    /**
     * Whether an id names homework (rather than an exam).
     *
     * @param id e.g. {@code hw1} or {@code midterm}
     * @return true for {@code hw} followed by digits
     */
    public static boolean isHomework(String id) {
        return id.matches("hw\\d+");
    }

    /**
     * The Java package of an assignment's code.
     *
     * @param id e.g. {@code hw1}
     * @return e.g. {@code org.dllab.hw.hw1}, {@code org.dllab.exam.midterm}
     */
    public static String sourcePackage(String id) {
        return isHomework(id) ? "org.dllab.hw." + id : "org.dllab.exam." + id.replace('-', '_');
    }

    /**
     * The same as a folder under a source root.
     *
     * @param id e.g. {@code hw1}
     * @return e.g. {@code org/dllab/hw/hw1}
     */
    public static String sourceFolder(String id) {
        return sourcePackage(id).replace('.', '/');
    }
}
