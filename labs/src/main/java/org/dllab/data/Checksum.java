package org.dllab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An expected digest of a file, written {@code sha256:HEX} or {@code md5:HEX}. sha256 wherever the
 * publisher or a trusted pin gives one; md5 only where the official page publishes nothing stronger
 * (CIFAR-10, aclImdb archives).
 *
 * @param algorithm {@code SHA-256} or {@code MD5}
 * @param hex lower-case hex digest
 */
public record Checksum(String algorithm, String hex) {

    /**
     * Parses {@code sha256:HEX} or {@code md5:HEX}.
     *
     * @param spec the text
     * @return the checksum
     */
    public static Checksum parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "checksum must look like sha256:HEX or md5:HEX, got " + spec);
        }
        String algo = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String hex = spec.substring(colon + 1).toLowerCase(Locale.ROOT);
        return switch (algo) {
            case "sha256" -> new Checksum("SHA-256", hex);
            case "md5" -> new Checksum("MD5", hex);
            default -> throw new IllegalArgumentException("unknown checksum algorithm " + algo);
        };
    }

    /**
     * A sha256 checksum.
     *
     * @param hex the digest
     * @return the checksum
     */
    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex.toLowerCase(Locale.ROOT));
    }

    /**
     * Creates a fresh digest for this algorithm.
     *
     * @return the digest
     */
    public MessageDigest newDigest() {
        return newDigest(algorithm);
    }

    /**
     * Whether a computed digest equals this one.
     *
     * @param digest the bytes computed
     * @return true when equal
     */
    public boolean matches(byte[] digest) {
        return HexFormat.of().formatHex(digest).equals(hex);
    }

    /**
     * Computes this algorithm's digest of a file.
     *
     * @param file the file
     * @return lower-case hex
     * @throws IOException when the file cannot be read
     */
    public String compute(Path file) throws IOException {
        return of(algorithm, file);
    }

    /**
     * Computes a digest of a file.
     *
     * @param algorithm {@code SHA-256} or {@code MD5}
     * @param file the file
     * @return lower-case hex
     * @throws IOException when the file cannot be read
     */
    public static String of(String algorithm, Path file) throws IOException {
        MessageDigest md = newDigest(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public String toString() {
        return (algorithm.equals("MD5") ? "md5:" : "sha256:") + hex;
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
