package org.dllab.labs.week06;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

class CifarCnnLabTest {

    @TempDir Path tmp;

    @Test
    void smokeRunOnTheRealSubsetWritesEveryPicture() throws Exception {
        Path data = TestData.require(DatasetCatalog.CIFAR10).getParent();
        LabResult r =
                new CifarCnnLab()
                        .run(
                                new RunOptions()
                                        .epochs(1)
                                        .maxBatches(20)
                                        .limit(1280)
                                        .dataDir(data)
                                        .quiet(true)
                                        .output(tmp),
                                new PrintStream(OutputStream.nullOutputStream()));
        var s = r.summary();
        assertEquals(0.0, s.get("conv_arithmetic_mismatches"));
        // 20 batches lift both networks above chance (10 %): 0.23 and 0.23 measured with this seed
        assertTrue(
                s.get("SimpleCnn_test_accuracy") > 0.15
                        && s.get("SmallResNet_test_accuracy") > 0.15,
                s.toString());
        for (String f :
                new String[] {
                    "confusion.png",
                    "predictions.png",
                    "filters.png",
                    "SimpleCnn-curves.png",
                    "SmallResNet-curves.png",
                    "report.html",
                    "run.json"
                }) {
            assertTrue(Files.size(tmp.resolve(f)) > 500, f);
        }
    }
}
