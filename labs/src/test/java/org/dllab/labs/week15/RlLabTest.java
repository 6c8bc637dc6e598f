package org.dllab.labs.week15;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.core.DjlRuntime;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REINFORCE learns; the lab's smoke run writes its report and repeats itself with the same seed.
 */
class RlLabTest {

    @TempDir Path tmp;

    @Test
    void reinforceLearnsToBalanceLonger() {
        DjlRuntime.engine(11);
        try (Reinforce agent = new Reinforce(11)) {
            List<Integer> returns = agent.train(new CartPole(11), 200, r -> {});
            double first =
                    returns.subList(0, 30).stream()
                            .mapToInt(Integer::intValue)
                            .average()
                            .orElseThrow();
            double last =
                    returns.subList(170, 200).stream()
                            .mapToInt(Integer::intValue)
                            .average()
                            .orElseThrow();
            assertTrue(
                    last > 1.5 * first,
                    "mean return of the first 30 episodes " + first + ", of the last 30 " + last);
        }
    }

    @Test
    void smokeRunWritesItsReportAndIsReproducible() throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        LabResult a =
                new RlLab()
                        .run(
                                new RunOptions()
                                        .maxBatches(60)
                                        .seed(5)
                                        .output(tmp.resolve("a"))
                                        .quiet(true),
                                quiet);
        LabResult b =
                new RlLab()
                        .run(
                                new RunOptions()
                                        .maxBatches(60)
                                        .seed(5)
                                        .output(tmp.resolve("b"))
                                        .quiet(true),
                                quiet);
        for (String f :
                List.of(
                        "run.json",
                        "report.html",
                        "cartpole-returns.png",
                        "gridworld-policy.png")) {
            assertTrue(Files.size(a.runDir().resolve(f)) > 0, f);
        }
        a.summary().remove("rss_growth_mb");
        a.summary().remove("reinforce_seconds");
        a.summary().remove("dqn_seconds");
        a.summary().remove("wall_seconds");
        b.summary().keySet().retainAll(a.summary().keySet());
        assertEquals(a.summary(), b.summary(), "same seed, same returns");
        assertTrue(
                a.summary().get("dqn_steps") > Dqn.WARMUP,
                "the DQN smoke run got past its warm-up and learned");
    }
}
