package org.dllab.labs.week04;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.data.DatasetCatalog;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizersLabTest {

    @TempDir Path tmp;

    @Test
    void smokeRunRacesAllFourAndDrawsBothPlots() throws Exception {
        Path data = TestData.require(DatasetCatalog.MNIST).getParent();
        LabResult r =
                new OptimizersLab()
                        .run(
                                new RunOptions()
                                        .maxBatches(40)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp),
                                new PrintStream(OutputStream.nullOutputStream()));
        var s = r.summary();
        // Rosenbrock: adaptive/momentum methods end near (1, 1); plain SGD at this step size is
        // still far
        assertTrue(s.get("rosenbrock_distance_adam") < 0.01, s.toString());
        assertTrue(s.get("rosenbrock_distance_momentum") < 0.01, s.toString());
        assertTrue(s.get("rosenbrock_distance_sgd") > 0.1, s.toString());
        for (String o : new String[] {"sgd", "momentum", "rmsprop", "adam"}) {
            assertTrue(
                    s.get("mnist_last_loss_" + o) < s.get("mnist_first_loss_" + o) / 2,
                    o + " must learn: " + s);
        }
        for (String f :
                new String[] {"rosenbrock.png", "mnist-loss.png", "report.html", "run.json"}) {
            assertTrue(Files.size(tmp.resolve(f)) > 500, f);
        }
    }
}
