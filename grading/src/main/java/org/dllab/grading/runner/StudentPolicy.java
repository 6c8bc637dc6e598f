package org.dllab.grading.runner;

import java.io.FilePermission;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.Permission;
import java.security.PermissionCollection;
import java.security.Permissions;
import java.security.Policy;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.PropertyPermission;

/**
 * The test JVM's security policy: the student's classes get almost nothing, everything else (the
 * JDK, the trusted runner, JUnit, DJL, the graded tests) keeps every permission. Java checks a
 * permission against every frame on the stack (and against the creator's frames for a thread), so
 * whenever student code is on the stack, or started the thread, only what is granted here is
 * allowed: reading the datasets and the engine cache, reading and writing its scratch folder,
 * reading system properties and the engine's own environment variables.
 *
 * <p>Denied, among everything else: deep reflection ({@code setAccessible}), the management and
 * diagnostic interfaces (heap dumps, MXBeans, attach), {@code /proc} and every other file, file
 * descriptors, native libraries, new class loaders, starting processes, {@code System.exit},
 * replacing {@code System.out}, the network, and the rest of the environment. So student code can
 * neither read the result channel's key nor write on the channel itself; see {@code
 * docs/grading-security.md}.
 */
final class StudentPolicy extends Policy {

    /**
     * Environment variables DJL, libtorch and dllab's own libraries read while student code calls
     * them (the data lookup, the malloc check). The child's environment holds nothing of the
     * grader's anyway.
     */
    private static final List<String> ENGINE_VARIABLES =
            List.of(
                    "DJL_",
                    "PYTORCH_",
                    "OMP_",
                    "MKL_",
                    "MALLOC_",
                    "DLLAB_",
                    "OPT_OUT_TRACKING",
                    "ENGINE_CACHE_DIR",
                    "OFFLINE",
                    "AI_DJL_",
                    "TZ",
                    "LANG");

    private final String studentLocation;
    private final Permissions granted = new Permissions();

    /**
     * The policy.
     *
     * @param studentCode the folder or jar of the student's compiled classes
     * @param readable folders student code may read (the datasets, the engine cache)
     * @param writable folders it may write (its scratch folder)
     */
    StudentPolicy(Path studentCode, List<Path> readable, List<Path> writable) {
        this.studentLocation =
                normalise(studentCode.toAbsolutePath().normalize().toUri().toString());
        granted.add(new PropertyPermission("*", "read"));
        granted.add(
                new FilePermission(
                        studentCode.toAbsolutePath().normalize() + java.io.File.separator + "-",
                        "read"));
        for (Path r : readable) {
            String p = r.toAbsolutePath().normalize().toString();
            granted.add(new FilePermission(p, "read"));
            granted.add(new FilePermission(p + java.io.File.separator + "-", "read"));
        }
        for (Path w : writable) {
            String p = w.toAbsolutePath().normalize().toString();
            granted.add(new FilePermission(p, "read,write"));
            granted.add(new FilePermission(p + java.io.File.separator + "-", "read,write,delete"));
        }
        granted.setReadOnly();
    }

    /**
     * Whether a protection domain holds the student's classes.
     *
     * @param domain a class's domain
     * @return true for the student's code
     */
    boolean isStudent(ProtectionDomain domain) {
        return domain != null && isStudent(domain.getCodeSource());
    }

    private boolean isStudent(CodeSource cs) {
        if (cs == null || cs.getLocation() == null) {
            return false; // the JDK's own classes
        }
        return normalise(cs.getLocation().toString()).equals(studentLocation);
    }

    @Override
    public boolean implies(ProtectionDomain domain, Permission permission) {
        if (!isStudent(domain)) {
            return true;
        }
        if (permission instanceof RuntimePermission && permission.getName().startsWith("getenv.")) {
            String variable = permission.getName().substring("getenv.".length());
            return ENGINE_VARIABLES.stream().anyMatch(variable::startsWith);
        }
        return granted.implies(permission);
    }

    @Override
    public PermissionCollection getPermissions(CodeSource codesource) {
        Permissions p = new Permissions();
        if (!isStudent(codesource)) {
            p.add(new java.security.AllPermission());
        }
        return p; // the student's: none statically, implies() decides
    }

    private static String normalise(String uri) {
        String u = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        return u.replace("file:///", "file:/");
    }
}
