package org.dllab.grading;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Seeds derived from text (a student id, an exam's salt): the same text, the same seed, on every
 * machine and JVM.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * The first 8 bytes of the text's SHA-256 (String.hashCode would give neighbours' ids related
     * seeds).
     *
     * @param text e.g. {@code "midterm\nSALT\n411000001"}
     * @return the seed
     */
    public static long of(String text) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = (seed << 8) | (d[i] & 0xFF);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
