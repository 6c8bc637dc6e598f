package org.dllab.grading.runner;

import java.security.AccessControlException;
import java.security.Permission;

/**
 * The test JVM's security manager: Java's own checks under {@link StudentPolicy}, with a refusal
 * that tells the student what was refused and why, instead of a bare {@code access denied}.
 */
@SuppressWarnings(
        "removal") // Java 17-23 still enforce it; the grader refuses to grade untrusted code where
// it is gone
final class GradingSecurityManager extends SecurityManager {

    /**
     * Java's class-path loader grants every class it loads the right to exit the JVM, a permission
     * the policy cannot take back; so exiting also needs a permission only trusted code holds.
     */
    @Override
    public void checkExit(int status) {
        super.checkExit(status);
        checkPermission(new TrustedCodePermission("exitVM"));
    }

    @Override
    public void checkPermission(Permission perm) {
        try {
            super.checkPermission(perm);
        } catch (AccessControlException e) {
            throw refusal(perm);
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        try {
            super.checkPermission(perm, context);
        } catch (AccessControlException e) {
            throw refusal(perm);
        }
    }

    private static SecurityException refusal(Permission perm) {
        return new SecurityException(
                "the grader does not let homework code do this: "
                        + perm.getClass().getSimpleName()
                        + " \""
                        + perm.getName()
                        + "\""
                        + (perm.getActions().isEmpty() ? "" : " (" + perm.getActions() + ")")
                        + "; graded code may only compute, read the course data and write its scratch folder");
    }

    /**
     * A permission that {@link StudentPolicy} grants to all code but the student's, and no class
     * loader grants.
     */
    static final class TrustedCodePermission extends java.security.BasicPermission {
        private static final long serialVersionUID = 1L;

        TrustedCodePermission(String name) {
            super(name);
        }
    }
}
