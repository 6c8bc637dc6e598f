package org.dllab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.Checkpoint;
import org.dllab.run.RunRecord;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signals to a real {@code dllab run} in its own JVM: SIGTERM (what {@code kill}, {@code
 * timeout}, Slurm and Docker send) and SIGINT ({@code Ctrl-C}) stop a lab after its current step
 * with a valid {@code run.json} saying {@code interrupted}, the checkpoint where the lab keeps one,
 * exit 143 or 130, and no native crash.
 */
@DisabledOnOs(OS.WINDOWS) // no POSIX signals to send
class RunSignalTest {

    @TempDir Path tmp;

    private Process dllab(Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Dai.djl.offline=true",
                                "-cp",
                                System.getProperty("java.class.path"),
                                Main.class.getName(),
                                "run"));
        command.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DLLAB_OFFLINE", "1");
        return pb.start();
    }

    private static void await(Process p, Path log, String what, Predicate<String> seen)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (seen.test(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "never saw " + what + " (alive: " + p.isAlive() + "): " + Files.readString(log));
    }

    @Test
    void sigtermStopsMnistMlpAfterABatchWithItsCheckpointAndExit143() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("log.txt");
        Process p =
                dllab(
                        log,
                        "mnist-mlp",
                        "--epochs",
                        "40",
                        "--data-dir",
                        data.toString(),
                        "-o",
                        out.toString());
        await(p, log, "the first epoch's run.json", text -> Files.exists(out.resolve("run.json")));
        p.destroy(); // SIGTERM
        assertTrue(
                p.waitFor(120, TimeUnit.SECONDS),
                "still running after SIGTERM: " + Files.readString(log));
        String text = Files.readString(log);
        assertEquals(143, p.exitValue(), text);
        assertTrue(text.contains("SIGTERM") && text.contains("--resume"), text);
        assertTrue(
                !text.contains("SIGSEGV") && !text.contains("hs_err"), "no native crash: " + text);
        JsonObject record = RunRecord.read(out.resolve("run.json"));
        assertEquals("interrupted", record.get("status").getAsString(), record.toString());
        int epochs = record.getAsJsonArray("epochs").size();
        assertTrue(epochs >= 1 && epochs < 40, record.toString());
        assertEquals(
                epochs, Checkpoint.epochsDone(out), "the checkpoint holds the finished epochs");
    }

    @Test
    void sigintStopsTheRlLabBetweenEpisodesWithExit130() throws Exception {
        Path out = tmp.resolve("rl");
        Path log = tmp.resolve("rl.txt");
        Process p = dllab(log, "w15-rl", "-o", out.toString());
        await(p, log, "REINFORCE under way", text -> text.contains("REINFORCE episode"));
        Process kill =
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(
                p.waitFor(120, TimeUnit.SECONDS),
                "still running after SIGINT: " + Files.readString(log));
        String text = Files.readString(log);
        assertEquals(130, p.exitValue(), text);
        assertTrue(text.contains("SIGINT"), text);
        JsonObject record = RunRecord.read(out.resolve("run.json"));
        assertEquals("interrupted", record.get("status").getAsString(), record.toString());
        assertTrue(
                record.has("finished") && record.get("wall_seconds").getAsDouble() > 0,
                record.toString());
    }
}
