package org.dllab.grading.runner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The channel from the child JVM to the grader that student code cannot forge: every line carries
 * an HMAC-SHA256 under a key the parent makes for this run and hands to the trusted runner on
 * standard input before any student class loads. Lines whose MAC does not verify are ignored.
 */
public final class ResultChannel {

    /** Prefix of a test-started line. */
    public static final String START = "DLLAB-START\t";

    /** Prefix of a test-finished line. */
    public static final String RESULT = "DLLAB-RESULT\t";

    /** Prefix of the line that ends the public phase: the runner waits for the hidden classes. */
    public static final String PHASE = "DLLAB-PHASE\t";

    /**
     * Prefix of the line the runner's watchdog sends before it stops the JVM (the reason follows).
     */
    public static final String ABORT = "DLLAB-ABORT\t";

    private final byte[] key;

    /**
     * A channel with a key.
     *
     * @param key the secret
     */
    public ResultChannel(byte[] key) {
        this.key = key.clone();
    }

    /**
     * A channel with a fresh random key.
     *
     * @return the channel
     */
    public static ResultChannel fresh() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new ResultChannel(k);
    }

    /**
     * The key as hex, for the child's standard input.
     *
     * @return hex
     */
    public String keyHex() {
        return HexFormat.of().formatHex(key);
    }

    /**
     * Signs a line's fields.
     *
     * @param fields the tab-joined fields
     * @return the fields plus a tab and the MAC
     */
    public String sign(String fields) {
        return fields + "\t" + mac(fields);
    }

    /**
     * Verifies a signed line.
     *
     * @param signed fields, a tab, the MAC
     * @return the fields when the MAC is right, else null
     */
    public String verify(String signed) {
        int tab = signed.lastIndexOf('\t');
        if (tab < 0) {
            return null;
        }
        String fields = signed.substring(0, tab);
        byte[] expected = mac(fields).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signed.substring(tab + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? fields : null;
    }

    private String mac(String fields) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(m.doFinal(fields.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
