package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {

    @TempDir Path dir;

    @Test
    void strictUtf8ReportsTheOffset() throws IOException {
        Path f = Files.write(dir.resolve("t.txt"), new byte[] {'o', 'k', ' ', (byte) 0xFF, 'x'});
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> TextCorpus.read(f));
        assertTrue(e.getMessage().contains("near byte 3"), e.getMessage());
        assertThrows(
                DatasetNotFoundException.class, () -> TextCorpus.read(dir.resolve("none.txt")));
    }

    @Test
    void tinyShakespeareHasItsKnownLength() throws IOException {
        Path folder = TestData.require(DatasetCatalog.TINY_SHAKESPEARE);
        String text = TextCorpus.loadTinyShakespeare(folder);
        assertEquals(1_115_394, text.length());
        assertTrue(text.startsWith("First Citizen:"));
    }
}
