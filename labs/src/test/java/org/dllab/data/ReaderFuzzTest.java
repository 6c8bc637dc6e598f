package org.dllab.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the binary and text readers: whatever bytes a file holds, a reader returns data or throws
 * an {@link IOException} naming the file, never anything else (no {@code
 * ArrayIndexOutOfBoundsException}, no {@code OutOfMemoryError} from a header that promises
 * gigabytes, no JVM crash).
 *
 * <p>A normal build replays the inputs under {@code
 * src/test/resources/org/dllab/data/ReaderFuzzTestInputs/} (one folder per method). To fuzz one
 * reader for a minute: {@code JAZZER_FUZZ=1 ./mvnw -pl labs test
 * -Dtest='ReaderFuzzTest#mnistImages' -Djazzer.max_duration=60s} (findings are written into that
 * folder and replayed from then on).
 */
class ReaderFuzzTest {

    private static Path dir;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("dllab-fuzz-");
    }

    @AfterAll
    static void clean() throws IOException {
        org.dllab.core.FileTrees.delete(dir);
    }

    private static Path file(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** A reader may fail, but only with an IOException that names the file. */
    private static void expectDataOrNamedError(Path file, ThrowingRunnable read)
            throws IOException {
        try {
            read.run();
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains(file.getFileName().toString())) {
                throw new AssertionError("the error does not name the file: " + e.getMessage(), e);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }

    @FuzzTest(maxDuration = "30s")
    void mnistImages(byte[] bytes) throws IOException {
        Path f = file("train-images-idx3-ubyte", bytes);
        expectDataOrNamedError(f, () -> MnistIdx.readImages(f, new int[2]));
    }

    @FuzzTest(maxDuration = "30s")
    void mnistLabels(byte[] bytes) throws IOException {
        Path f = file("train-labels-idx1-ubyte", bytes);
        expectDataOrNamedError(f, () -> MnistIdx.readLabels(f));
    }

    @FuzzTest(maxDuration = "30s")
    void cifarBatch(byte[] bytes) throws IOException {
        Path f = file("data_batch_1.bin", bytes);
        expectDataOrNamedError(
                f,
                () ->
                        CifarBinary.read(
                                f, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")));
    }

    @FuzzTest(maxDuration = "30s")
    void cifarMeta(byte[] bytes) throws IOException {
        Path f = file("batches.meta.txt", bytes);
        expectDataOrNamedError(f, () -> CifarBinary.readMeta(f));
    }

    @FuzzTest(maxDuration = "30s")
    void text(byte[] bytes) throws IOException {
        Path f = file("input.txt", bytes);
        expectDataOrNamedError(f, () -> TextCorpus.read(f));
    }
}
