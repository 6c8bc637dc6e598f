package org.dllab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Cora citation graph in the LINQS files: {@code cora.content} (paper id, 1,433 binary word
 * features, class) and {@code cora.cites} (cited id, citing id). Citations are read as undirected
 * edges, as GCN does.
 *
 * @param ids the paper ids, node {@code i} is {@code ids[i]} (the order of {@code cora.content})
 * @param features node-by-feature 0/1 values, row-major ({@code nodes * featureCount})
 * @param featureCount words in the vocabulary (1,433)
 * @param labels the class index of each node
 * @param classes the class names, sorted
 * @param edges undirected edges as {@code {a, b}} with {@code a < b}, no self-loops, no duplicates
 */
public record CoraGraph(
        String[] ids,
        float[] features,
        int featureCount,
        int[] labels,
        String[] classes,
        int[][] edges) {

    /**
     * Number of nodes.
     *
     * @return 2,708 for Cora
     */
    public int nodes() {
        return ids.length;
    }

    /**
     * Reads the two files.
     *
     * @param folder the {@code cora} folder
     * @return the graph
     * @throws IOException when a file is missing or unreadable
     * @throws DatasetFormatException naming the file and line of a malformed line or an unknown
     *     paper id
     */
    public static CoraGraph read(Path folder) throws IOException {
        Path content = folder.resolve("cora.content");
        List<String> lines = Files.readAllLines(content, StandardCharsets.UTF_8);
        int n = lines.size();
        if (n == 0) {
            throw new DatasetFormatException(content, "the file is empty", "one line per paper");
        }
        String[] ids = new String[n];
        String[] labelNames = new String[n];
        int featureCount = -1;
        float[] features = null;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (featureCount < 0) {
                featureCount = f.length - 2;
                if (featureCount < 1) {
                    throw new DatasetFormatException(
                            content,
                            "line " + (i + 1) + " has " + f.length + " fields",
                            "'paper_id feature... label'");
                }
                features = new float[n * featureCount];
            }
            if (f.length != featureCount + 2) {
                throw new DatasetFormatException(
                        content,
                        "line " + (i + 1) + " has " + f.length + " fields",
                        (featureCount + 2) + " like line 1");
            }
            ids[i] = f[0];
            if (index.put(f[0], i) != null) {
                throw new DatasetFormatException(
                        content,
                        "line " + (i + 1) + ": paper " + f[0] + " appears twice",
                        "one line per paper");
            }
            for (int j = 0; j < featureCount; j++) {
                String v = f[j + 1];
                if (!v.equals("0") && !v.equals("1")) {
                    throw new DatasetFormatException(
                            content,
                            "line " + (i + 1) + ": feature " + (j + 1) + " is '" + v + "'",
                            "0 or 1");
                }
                features[i * featureCount + j] = v.equals("1") ? 1f : 0f;
            }
            labelNames[i] = f[f.length - 1];
        }
        String[] classes = new TreeSet<>(Arrays.asList(labelNames)).toArray(String[]::new);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = Arrays.binarySearch(classes, labelNames[i]);
        }
        Path cites = folder.resolve("cora.cites");
        Set<Long> seen = new LinkedHashSet<>();
        List<int[]> edges = new ArrayList<>();
        List<String> citeLines = Files.readAllLines(cites, StandardCharsets.UTF_8);
        for (int i = 0; i < citeLines.size(); i++) {
            String line = citeLines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            Integer a = f.length == 2 ? index.get(f[0]) : null;
            Integer b = f.length == 2 ? index.get(f[1]) : null;
            if (a == null || b == null) {
                throw new DatasetFormatException(
                        cites,
                        "line " + (i + 1) + " is '" + line + "'",
                        "two paper ids of cora.content");
            }
            int lo = Math.min(a, b);
            int hi = Math.max(a, b);
            if (lo != hi && seen.add((long) lo * n + hi)) {
                edges.add(new int[] {lo, hi});
            }
        }
        return new CoraGraph(
                ids, features, featureCount, labels, classes, edges.toArray(int[][]::new));
    }

    /**
     * The features with each paper's row divided by its number of words, as in the GCN paper's
     * preprocessing (a long paper's many words do not outweigh a short one's).
     *
     * @return {@code nodes * featureCount} values
     */
    public float[] rowNormalizedFeatures() {
        float[] out = features.clone();
        for (int i = 0; i < nodes(); i++) {
            float sum = 0;
            for (int j = 0; j < featureCount; j++) {
                sum += out[i * featureCount + j];
            }
            for (int j = 0; sum > 0 && j < featureCount; j++) {
                out[i * featureCount + j] /= sum;
            }
        }
        return out;
    }

    /**
     * The symmetric-normalised adjacency with self-loops of GCN, {@code D^-1/2 (A + I) D^-1/2},
     * dense and row-major.
     *
     * @param nodes number of nodes
     * @param edges undirected edges {@code {a, b}}
     * @return {@code nodes * nodes} values
     */
    public static float[] normalizedAdjacency(int nodes, int[][] edges) {
        double[] degree = new double[nodes];
        Arrays.fill(degree, 1); // the self-loop
        for (int[] e : edges) {
            degree[e[0]]++;
            degree[e[1]]++;
        }
        float[] a = new float[nodes * nodes];
        for (int i = 0; i < nodes; i++) {
            a[i * nodes + i] = (float) (1 / degree[i]);
        }
        for (int[] e : edges) {
            float w = (float) (1 / Math.sqrt(degree[e[0]] * degree[e[1]]));
            a[e[0] * nodes + e[1]] = w;
            a[e[1] * nodes + e[0]] = w;
        }
        return a;
    }

    /**
     * A Planetoid-style split, seeded: {@code perClass} labelled training nodes of each class, then
     * {@code validation} and {@code test} nodes drawn from the rest. (Planetoid's own indices come
     * with its preprocessed files, not with the LINQS ones; this draws a split of the same shape.)
     *
     * @param perClass training nodes per class (20)
     * @param validation validation nodes (500)
     * @param test test nodes (1,000)
     * @param seed the draw
     * @return train, validation and test node indices
     */
    public Split planetoidSplit(int perClass, int validation, int test, long seed) {
        Random r = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < nodes(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, r);
        int[] taken = new int[classes.length];
        List<Integer> train = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        for (int i : order) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                train.add(i);
            } else {
                rest.add(i);
            }
        }
        if (rest.size() < validation + test) {
            throw new IllegalArgumentException(
                    "the graph has " + nodes() + " nodes: too few for this split");
        }
        return new Split(
                train.stream().mapToInt(Integer::intValue).toArray(),
                rest.subList(0, validation).stream().mapToInt(Integer::intValue).toArray(),
                rest.subList(validation, validation + test).stream()
                        .mapToInt(Integer::intValue)
                        .toArray());
    }

    /**
     * Node indices of a split.
     *
     * @param train labelled training nodes
     * @param validation validation nodes
     * @param test test nodes
     */
    public record Split(int[] train, int[] validation, int[] test) {}
}
