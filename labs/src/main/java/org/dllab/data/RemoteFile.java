package org.dllab.data;

import java.net.URI;
import java.util.List;

/**
 * One file a dataset downloads: the official URL first, then any mirror, the checksum every copy
 * must match, and whether it is an archive to unpack into the dataset folder.
 *
 * @param fileName the name to store it under
 * @param urls where to get it, tried in order
 * @param checksum what the bytes must hash to
 * @param unpack true for a {@code .tar.gz} to extract (the archive is deleted afterwards)
 */
public record RemoteFile(String fileName, List<URI> urls, Checksum checksum, boolean unpack) {

    /**
     * A plain file.
     *
     * @param fileName the stored name
     * @param checksum e.g. {@code sha256:...}
     * @param urls official URL first
     * @return the remote file
     */
    public static RemoteFile of(String fileName, String checksum, String... urls) {
        return new RemoteFile(
                fileName,
                List.of(urls).stream().map(URI::create).toList(),
                Checksum.parse(checksum),
                false);
    }

    /**
     * A {@code .tar.gz} archive that is unpacked in place.
     *
     * @param fileName the stored name
     * @param checksum e.g. {@code md5:...}
     * @param urls official URL first
     * @return the remote file
     */
    public static RemoteFile archive(String fileName, String checksum, String... urls) {
        return new RemoteFile(
                fileName,
                List.of(urls).stream().map(URI::create).toList(),
                Checksum.parse(checksum),
                true);
    }
}
