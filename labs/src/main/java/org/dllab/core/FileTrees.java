package org.dllab.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
