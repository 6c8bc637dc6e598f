package org.dllab.grading.submission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Opens student zips whatever tool made them. */
public final class Zips {

    private Zips() {}

    /**
     * Opens a zip, reading entry names as UTF-8 or, when some name is not valid UTF-8 (zips made on
     * Windows with a legacy code page), byte for byte as ISO-8859-1: such a name then simply
     * matches no expected file, instead of making the whole submission unreadable.
     *
     * @param zip the file
     * @return the open zip
     * @throws IOException when it is not a zip at all, with the file named
     */
    public static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException utf8) {
            try {
                return new ZipFile(zip.toFile(), StandardCharsets.ISO_8859_1);
            } catch (ZipException notAZip) {
                throw new IOException(
                        zip + ": not a readable zip file (" + utf8.getMessage() + ")", notAZip);
            }
        }
    }
}
