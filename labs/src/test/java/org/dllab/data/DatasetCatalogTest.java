package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every dataset (and model) in the catalog can be fetched and checked the same way. */
class DatasetCatalogTest {

    @Test
    void everyDownloadIsHttpsAndCheckedAndEveryEntryHasItsPage() throws java.io.IOException {
        String catalog = Files.readString(Path.of("..", "datasets", "README.md"));
        Set<String> names = new HashSet<>();
        for (DatasetSpec spec : DatasetCatalog.ALL) {
            assertTrue(names.add(spec.name()), "one entry per name: " + spec.name());
            for (RemoteFile f : spec.downloads()) {
                assertFalse(f.urls().isEmpty(), spec.name() + "/" + f.fileName());
                f.urls()
                        .forEach(
                                u ->
                                        assertEquals(
                                                "https",
                                                u.getScheme(),
                                                spec.name() + ": " + u + " is not https"));
                assertTrue(
                        f.checksum().hex().matches("[0-9a-f]{32,64}"),
                        spec.name() + "/" + f.fileName() + " has no checksum");
                Checksum official = spec.officialChecksums().get(f.fileName());
                if (official != null) {
                    assertEquals(
                            official,
                            f.checksum(),
                            spec.name() + "/" + f.fileName() + ": download and verify agree");
                }
            }
            assertTrue(
                    catalog.contains("| [" + spec.name() + "]("),
                    "datasets/README.md lists " + spec.name());
        }
    }

    @Test
    void bertBaseUncasedIsPinnedToOneRevisionWithItsPublishedHashes() {
        DatasetSpec bert = DatasetCatalog.BERT_BASE_UNCASED;
        assertEquals(3, bert.downloads().size());
        for (RemoteFile f : bert.downloads()) {
            String url = f.urls().get(0).toString();
            assertTrue(
                    url.startsWith(
                            "https://huggingface.co/google-bert/bert-base-uncased/resolve/"
                                    + DatasetCatalog.BERT_REVISION
                                    + "/"),
                    url + ": a revision, not main (main can change under the checksum)");
            assertEquals("SHA-256", f.checksum().algorithm());
        }
        assertEquals(
                "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3",
                bert.officialChecksums().get("model.safetensors").hex());
    }
}
