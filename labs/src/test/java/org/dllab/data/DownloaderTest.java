package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a server on the loopback interface only: no test leaves this machine. */
class DownloaderTest {

    @TempDir Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private static final byte[] BODY = "the official bytes".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/file",
                ex -> {
                    requests.incrementAndGet();
                    ex.sendResponseHeaders(200, BODY.length);
                    try (OutputStream o = ex.getResponseBody()) {
                        o.write(BODY);
                    }
                });
        server.createContext(
                "/missing",
                ex -> {
                    requests.incrementAndGet();
                    ex.sendResponseHeaders(404, -1);
                    ex.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void goodChecksumLandsAtomicallyAfterFallingBackFromABrokenMirror() throws Exception {
        Path dest = tmp.resolve("f.bin");
        RemoteFile rf =
                RemoteFile.of("f.bin", "sha256:" + sha256(BODY), url("/missing"), url("/file"));
        new Downloader(null).fetch(rf, dest);
        assertArrayEquals(BODY, Files.readAllBytes(dest));
        assertFalse(Files.exists(tmp.resolve("f.bin.part")));
        assertEquals(2, requests.get());
    }

    @Test
    void wrongChecksumLeavesNothingBehind() {
        Path dest = tmp.resolve("f.bin");
        RemoteFile rf = RemoteFile.of("f.bin", "sha256:" + "0".repeat(64), url("/file"));
        IOException e = assertThrows(IOException.class, () -> new Downloader(null).fetch(rf, dest));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertFalse(Files.exists(dest));
        assertFalse(Files.exists(tmp.resolve("f.bin.part")));
    }

    @Test
    void offlineResolveNeverConnects() {
        DataLocations loc = new DataLocations(List.of(), tmp.resolve("cache"), true);
        assertThrows(
                DatasetNotFoundException.class,
                () -> loc.resolve(DatasetCatalog.TINY_SHAKESPEARE, null));
        assertEquals(0, requests.get());
        // and even an online DataLocations cannot download while DLLAB_OFFLINE=1 (set for every
        // test)
        DataLocations online = new DataLocations(List.of(), tmp.resolve("cache"), false);
        assertThrows(
                DatasetNotFoundException.class,
                () -> online.resolve(DatasetCatalog.TINY_SHAKESPEARE, null));
        assertEquals(0, requests.get());
    }

    private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bos))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    @Test
    void archivesUnpackInPlaceAndEscapingEntriesAreRefused() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("cifar10"));
        Path good =
                Files.write(
                        tmp.resolve("good.tar.gz"),
                        tarGz(Map.of("cifar-10-batches-bin/test_batch.bin", new byte[] {1, 2, 3})));
        Downloader.unpackTarGz(good, target);
        assertArrayEquals(
                new byte[] {1, 2, 3},
                Files.readAllBytes(target.resolve("cifar-10-batches-bin/test_batch.bin")));

        Path evil =
                Files.write(
                        tmp.resolve("evil.tar.gz"),
                        tarGz(Map.of("../../escaped.txt", new byte[] {9})));
        assertThrows(DatasetFormatException.class, () -> Downloader.unpackTarGz(evil, target));
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        assertFalse(Files.exists(tmp.getParent().resolve("escaped.txt")));
    }
}
