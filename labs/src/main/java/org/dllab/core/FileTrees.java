package org.dllab.core;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder utilities the data layer and the grader share. */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes a folder and everything in it; nothing happens when it does not exist. Links are
     * deleted, not followed.
     *
     * @param p the folder (or file)
     * @throws IOException on failure
     */
    public static void delete(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    /**
     * Writes a text file so that a reader (or a kill mid-write) sees the old file or the new one,
     * never half of one: a temporary file beside it, then a rename.
     *
     * @param file the file
     * @param text its new content (UTF-8)
     * @throws IOException when it cannot be written
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        try {
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
