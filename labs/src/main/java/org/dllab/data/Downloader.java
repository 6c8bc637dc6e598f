package org.dllab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.dllab.run.Progress;

/**
 * Downloads a dataset's official files: progress bar, checksum while streaming, written to a {@code
 * .part} file and renamed atomically, so an interrupted or corrupted download never looks like a
 * finished one. Archives are unpacked into a temporary folder first and moved into place entry by
 * entry; entries that would land outside the dataset folder are refused.
 */
public final class Downloader {

    private static final int TIMEOUT_MS = 30_000;

    private final PrintStream log;

    /**
     * Creates a downloader.
     *
     * @param log where to print what is fetched (null: quiet)
     */
    public Downloader(PrintStream log) {
        this.log = log;
    }

    /**
     * Downloads (and unpacks) every file of a dataset into {@code target}. Files already present
     * with the right checksum are kept.
     *
     * @param spec the dataset
     * @param target the dataset folder
     * @throws IOException when no URL gives the right bytes
     */
    public void downloadAll(DatasetSpec spec, Path target) throws IOException {
        if (DataLocations.fromEnvironment(null, false).offline()) {
            // A last guard: even code that builds its own DataLocations cannot download with
            // DLLAB_OFFLINE set.
            throw new IOException("downloads are off (DLLAB_OFFLINE=1)");
        }
        Files.createDirectories(target);
        for (RemoteFile file : spec.downloads()) {
            Path dest = target.resolve(file.fileName());
            if (!file.unpack()
                    && Files.isRegularFile(dest)
                    && file.checksum().compute(dest).equals(file.checksum().hex())) {
                continue;
            }
            fetch(file, dest);
            if (file.unpack()) {
                unpackTarGz(dest, target);
                Files.delete(dest);
            }
        }
    }

    /**
     * Fetches one file, trying each URL in turn, and checks its checksum.
     *
     * @param file the remote file
     * @param dest the final path (written atomically)
     * @throws IOException when every URL fails
     */
    public void fetch(RemoteFile file, Path dest) throws IOException {
        IOException last = null;
        for (URI url : file.urls()) {
            try {
                fetchOne(url, file.checksum(), dest);
                return;
            } catch (IOException e) {
                last = e;
                if (log != null) {
                    log.println(
                            "  "
                                    + url
                                    + ": "
                                    + e.getMessage()
                                    + (file.urls().size() > 1 ? " (trying next)" : ""));
                }
            }
        }
        throw new IOException(
                "could not download "
                        + file.fileName()
                        + ": "
                        + (last == null ? "no URL" : last.getMessage()),
                last);
    }

    private void fetchOne(URI url, Checksum checksum, Path dest) throws IOException {
        Path part = dest.resolveSibling(dest.getFileName() + ".part");
        URLConnection conn = url.toURL().openConnection();
        conn.setConnectTimeout(TIMEOUT_MS);
        conn.setReadTimeout(TIMEOUT_MS);
        conn.setRequestProperty("User-Agent", "dllab");
        if (conn instanceof HttpURLConnection http && http.getResponseCode() / 100 != 2) {
            throw new IOException(
                    "HTTP " + http.getResponseCode() + " " + http.getResponseMessage());
        }
        long length = conn.getContentLengthLong();
        MessageDigest md = checksum.newDigest();
        Progress bar = Progress.start(dest.getFileName().toString(), Math.max(length, 1), log);
        if (log != null) {
            log.println("Downloading " + url);
        }
        long done = 0;
        try (InputStream in = conn.getInputStream();
                OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                done += n;
                if (bar != null && length > 0) {
                    bar.update(done);
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (bar != null) {
            bar.end();
        }
        byte[] digest = md.digest();
        if (!checksum.matches(digest)) {
            Files.deleteIfExists(part);
            throw new IOException(
                    "checksum mismatch for "
                            + url
                            + ": got "
                            + HexFormat.of().formatHex(digest)
                            + ", expected "
                            + checksum);
        }
        try {
            Files.move(
                    part,
                    dest,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Unpacks a {@code .tar.gz} into a folder, refusing entries that escape it (absolute paths,
     * {@code ..}, links).
     *
     * @param archive the archive
     * @param target the folder to unpack into
     * @throws IOException on a broken or hostile archive
     */
    public static void unpackTarGz(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Path staging = Files.createTempDirectory(root, ".unpack-");
        try (InputStream fin = Files.newInputStream(archive);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(fin))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path out = staging.resolve(e.getName()).normalize();
                if (!out.startsWith(staging) || e.getName().startsWith("/")) {
                    throw new DatasetFormatException(
                            archive,
                            "archive entry '" + e.getName() + "' escapes the folder",
                            "relative paths inside the dataset folder");
                }
                if (e.isSymbolicLink() || e.isLink()) {
                    continue; // official archives have none; never follow one
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (var top = Files.list(staging)) {
            for (Path p : (Iterable<Path>) top::iterator) {
                Path dest = root.resolve(p.getFileName().toString());
                if (Files.exists(dest)) {
                    org.dllab.core.FileTrees.delete(dest);
                }
                Files.move(p, dest);
            }
        }
        org.dllab.core.FileTrees.delete(staging);
    }
}
