package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocationsTest {

    @TempDir Path tmp;

    private static void completeTinyShakespeare(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("input.txt"), "First Citizen:\n");
    }

    @Test
    void firstCompleteRootWinsAndTheCacheComesLast() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path cache = tmp.resolve("cache");
        Files.createDirectories(a.resolve("tinyshakespeare")); // incomplete: no input.txt
        completeTinyShakespeare(
                b.resolve("tiny-shakespeare")); // an accepted alternative folder name
        completeTinyShakespeare(cache.resolve("tinyshakespeare"));
        DataLocations loc = new DataLocations(List.of(a, b), cache, true);
        assertEquals(
                b.resolve("tiny-shakespeare").toAbsolutePath().normalize(),
                loc.find(DatasetCatalog.TINY_SHAKESPEARE));
        assertEquals(cache.toAbsolutePath().normalize(), loc.roots().get(loc.roots().size() - 1));
    }

    @Test
    void aRootMayBeTheDatasetFolderItself() throws IOException {
        Path folder = tmp.resolve("my-text");
        completeTinyShakespeare(folder);
        DataLocations loc = new DataLocations(List.of(folder), tmp.resolve("cache"), true);
        assertEquals(
                folder.toAbsolutePath().normalize(), loc.find(DatasetCatalog.TINY_SHAKESPEARE));
    }

    @Test
    void offlineAndMissingGivesOneActionableError() throws IOException {
        Path a = tmp.resolve("a");
        Files.createDirectories(a.resolve("mnist"));
        Files.write(a.resolve("mnist/train-images-idx3-ubyte.gz"), new byte[] {1});
        DataLocations loc = new DataLocations(List.of(a), tmp.resolve("cache"), true);
        assertNull(loc.find(DatasetCatalog.MNIST));
        DatasetNotFoundException e =
                assertThrows(
                        DatasetNotFoundException.class,
                        () -> loc.resolve(DatasetCatalog.MNIST, null));
        String m = e.getMessage();
        assertTrue(m.contains("Dataset 'mnist'"), m);
        assertTrue(m.contains(a.resolve("mnist").toAbsolutePath().toString()), m);
        assertTrue(m.contains("missing: train-labels-idx1-ubyte.gz"), m);
        assertTrue(m.contains("DLLAB_DATA"), m);
        assertTrue(m.contains("Downloads are off"), m);
    }

    @Test
    void environmentOfflineFlagIsHonoured() {
        // surefire sets DLLAB_OFFLINE=1 for every test: nothing may download
        assertTrue(DataLocations.fromEnvironment(null, false).offline());
    }
}
