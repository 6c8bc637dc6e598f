package org.dllab.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file is not what its format promises: wrong magic number, truncated, wrong record size,
 * bad checksum, invalid text encoding. The message names the file, what was found and what was
 * expected, so the reader can delete or re-download exactly that file.
 */
public final class DatasetFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the offending file
     * @param problem what is wrong, e.g. "magic number is 0x00000801"
     * @param expected what the format requires, e.g. "0x00000803 (IDX images)"
     */
    public DatasetFormatException(Path file, String problem, String expected) {
        super(file + ": " + problem + "; expected " + expected + hint(file));
        this.file = file;
    }

    /**
     * Creates the exception around a lower-level cause (e.g. a broken gzip stream).
     *
     * @param file the offending file
     * @param problem what is wrong
     * @param cause the underlying error
     */
    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem + " (" + cause.getMessage() + ")" + hint(file), cause);
        this.file = file;
    }

    /**
     * The file that failed to read.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }

    private static String hint(Path file) {
        return ". The file may be damaged or incomplete: delete it and run 'dllab data download' (or restore it)"
                + " and check it with 'dllab data verify'.";
    }
}
