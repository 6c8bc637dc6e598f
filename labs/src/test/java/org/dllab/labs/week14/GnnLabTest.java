package org.dllab.labs.week14;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dllab.core.DjlRuntime;
import org.dllab.data.CoraGraph;
import org.dllab.data.DatasetCatalog;
import org.dllab.data.DatasetFormatException;
import org.dllab.run.LabResult;
import org.dllab.run.RunOptions;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GCN against a dense reference, the Cora reader and split on the real files, and a short run
 * of the lab.
 */
class GnnLabTest {

    @TempDir Path tmp;

    /** D^-1/2 (A + I) D^-1/2 by the definition, in double, as a matrix product. */
    private static double[][] reference(int n, int[][] edges) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1;
        }
        for (int[] e : edges) {
            a[e[0]][e[1]] = 1;
            a[e[1]][e[0]] = 1;
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = Arrays.stream(a[i]).sum();
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = a[i][j] / Math.sqrt(d[i]) / Math.sqrt(d[j]);
            }
        }
        return out;
    }

    @Test
    void normalisedAdjacencyIsTheFormula() {
        int[][] edges = {{0, 1}, {1, 2}, {1, 3}, {3, 4}};
        float[] a = CoraGraph.normalizedAdjacency(5, edges);
        double[][] ref = reference(5, edges);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(ref[i][j], a[i * 5 + j], 1e-7, "Â[" + i + "][" + j + "]");
            }
        }
        assertEquals(1 / Math.sqrt(2 * 4), a[1], 1e-7, "path end to its hub: 1/sqrt(2*4)");
    }

    @Test
    void gcnForwardMatchesADenseReference() {
        DjlRuntime.prepare();
        int n = 6;
        int f = 5;
        int[][] edges = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {0, 5}, {1, 4}};
        Random r = new Random(3);
        float[] xv = new float[n * f];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = r.nextFloat();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Gcn net = new Gcn(m, f, 3, new Random(7));
            NDArray adjacency = m.create(CoraGraph.normalizedAdjacency(n, edges), new Shape(n, n));
            float[] z = net.forward(adjacency, m.create(xv, new Shape(n, f)), false).toFloatArray();
            List<NDArray> p = net.parameters();
            double[][] a = reference(n, edges);
            double[] w1 = toDouble(p.get(0));
            double[] b1 = toDouble(p.get(1));
            double[] w2 = toDouble(p.get(2));
            double[] b2 = toDouble(p.get(3));
            int h = Gcn.HIDDEN;
            double[][] xw = new double[n][h];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < h; k++) {
                    for (int j = 0; j < f; j++) {
                        xw[i][k] += xv[i * f + j] * w1[j * h + k];
                    }
                }
            }
            double[][] hidden = new double[n][h];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < h; k++) {
                    double s = b1[k];
                    for (int j = 0; j < n; j++) {
                        s += a[i][j] * xw[j][k];
                    }
                    hidden[i][k] = Math.max(0, s);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    double s = b2[c];
                    for (int j = 0; j < n; j++) {
                        for (int k = 0; k < h; k++) {
                            s += a[i][j] * hidden[j][k] * w2[k * 3 + c];
                        }
                    }
                    assertEquals(s, z[i * 3 + c], 1e-5, "Z[" + i + "][" + c + "]");
                }
            }
        }
    }

    private static double[] toDouble(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void coraIsReadWithItsKnownSizesAndSplitLikePlanetoid() throws Exception {
        Path folder = TestData.require(DatasetCatalog.CORA);
        CoraGraph g = CoraGraph.read(folder);
        assertEquals(2708, g.nodes());
        assertEquals(1433, g.featureCount());
        assertEquals(7, g.classes().length);
        assertEquals(
                5278, g.edges().length, "5,429 citation lines, 5,278 distinct undirected edges");
        CoraGraph.Split s = g.planetoidSplit(20, 500, 1000, 42);
        assertEquals(140, s.train().length);
        assertEquals(500, s.validation().length);
        assertEquals(1000, s.test().length);
        int[] perClass = new int[7];
        Arrays.stream(s.train()).forEach(i -> perClass[g.labels()[i]]++);
        assertArrayEquals(new int[] {20, 20, 20, 20, 20, 20, 20}, perClass);
        Set<Integer> all = new HashSet<>();
        for (int[] part : List.of(s.train(), s.validation(), s.test())) {
            Arrays.stream(part).forEach(all::add);
        }
        assertEquals(1640, all.size(), "train, validation and test are disjoint");
        assertArrayEquals(
                s.test(),
                g.planetoidSplit(20, 500, 1000, 42).test(),
                "the same seed, the same split");
    }

    @Test
    void aMalformedLineIsOneErrorNamingTheFileAndLine() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("cora"));
        Files.writeString(folder.resolve("cora.content"), "1\t0\t1\tTheory\n2\t1\tTheory\n");
        Files.writeString(folder.resolve("cora.cites"), "1\t2\n");
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> CoraGraph.read(folder));
        assertTrue(
                e.getMessage().contains("cora.content") && e.getMessage().contains("line 2"),
                e.getMessage());
        Files.writeString(
                folder.resolve("cora.content"), "1\t0\t1\tTheory\n2\t1\t0\tRule_Learning\n");
        Files.writeString(folder.resolve("cora.cites"), "1\t3\n");
        e = assertThrows(DatasetFormatException.class, () -> CoraGraph.read(folder));
        assertTrue(
                e.getMessage().contains("cora.cites") && e.getMessage().contains("line 1"),
                e.getMessage());
    }

    @Test
    void theGraphBeatsTheFeaturesAloneOnCora() throws Exception {
        Path data = TestData.require(DatasetCatalog.CORA).getParent();
        LabResult r =
                new GnnLab()
                        .run(
                                new RunOptions()
                                        .epochs(60)
                                        .limit(1)
                                        .seed(43)
                                        .dataDir(data)
                                        .output(tmp.resolve("run"))
                                        .quiet(true),
                                System.out);
        double gcn = r.summary().get("gcn_test_accuracy");
        double mlp = r.summary().get("mlp_test_accuracy");
        assertTrue(gcn >= 0.70, "GCN test accuracy " + gcn);
        assertTrue(
                gcn - mlp >= 0.10,
                "the citations add at least 10 points: GCN " + gcn + ", MLP " + mlp);
        for (String f : List.of("run.json", "report.html", "embeddings.png", "curves-gcn.png")) {
            assertTrue(Files.isRegularFile(r.runDir().resolve(f)), f);
        }
    }
}
