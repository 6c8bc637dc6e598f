package org.dllab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What dllab knows about one dataset: the folder names it may live under, the files that must be
 * there, where to download them, and the official checksums of files that are byte-identical to the
 * publisher's.
 *
 * @param name the short name used on the command line ({@code mnist})
 * @param title a one-line description
 * @param folderNames folder names searched under each data root, first one used for downloads
 * @param required files (or folders) that must exist; each entry lists acceptable alternatives
 *     ({@code x.gz} or {@code x})
 * @param downloads what {@code dllab data download} fetches into the cache
 * @param officialChecksums relative path to checksum of files known to equal the publisher's
 * @param citation how to cite / the terms of use
 */
public record DatasetSpec(
        String name,
        String title,
        List<String> folderNames,
        List<List<String>> required,
        List<RemoteFile> downloads,
        Map<String, Checksum> officialChecksums,
        String citation) {

    /**
     * Whether {@code folder} holds every required file of this dataset.
     *
     * @param folder a candidate folder
     * @return true when complete
     */
    public boolean isComplete(Path folder) {
        return missingIn(folder).isEmpty();
    }

    /**
     * The required entries missing from a folder.
     *
     * @param folder a candidate folder
     * @return the first alternative of each missing entry
     */
    public List<String> missingIn(Path folder) {
        return required.stream()
                .filter(
                        alternatives ->
                                alternatives.stream()
                                        .noneMatch(p -> Files.exists(folder.resolve(p))))
                .map(alternatives -> alternatives.get(0))
                .toList();
    }

    /**
     * The path of a required entry inside a complete folder, whichever alternative is present.
     *
     * @param folder the dataset folder
     * @param anyAlternative one of the alternative names
     * @return the existing path
     */
    public Path locate(Path folder, String anyAlternative) {
        for (List<String> alternatives : required) {
            if (alternatives.contains(anyAlternative)) {
                for (String p : alternatives) {
                    if (Files.exists(folder.resolve(p))) {
                        return folder.resolve(p);
                    }
                }
            }
        }
        return folder.resolve(anyAlternative);
    }

    /**
     * The expected layout, for error messages.
     *
     * @return e.g. {@code mnist/train-images-idx3-ubyte.gz, ...}
     */
    public String layout() {
        StringBuilder sb = new StringBuilder();
        for (List<String> alternatives : required) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(folderNames.get(0)).append('/').append(String.join(" or ", alternatives));
        }
        return sb.toString();
    }
}
