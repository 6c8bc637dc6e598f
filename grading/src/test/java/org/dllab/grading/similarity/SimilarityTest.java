package org.dllab.grading.similarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimilarityTest {

    private static final Path TEMPLATES = Path.of("..", "homework-templates");
    private static final Path SOLUTION = Path.of("..", "solutions/src/main/java/org/dllab/hw/hw1");

    @TempDir Path tmp;

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    @Test
    void copiedSubmissionsAreTheMostSimilarPair() throws Exception {
        boolean haveJava21;
        try {
            Similarity.java21();
            haveJava21 = true;
        } catch (java.io.IOException e) {
            haveJava21 = false;
        }
        assumeTrue(haveJava21, "JPlag 6 needs a Java 21+ runtime on this machine");
        Path export = tmp.resolve("export");
        copy(SOLUTION, export.resolve("alice"));
        copy(SOLUTION, export.resolve("bob")); // bob copied alice
        Path linear = export.resolve("bob/Linear.java");
        Files.writeString(
                linear,
                Files.readString(linear).replace("gradWeight", "gw")); // renaming hides nothing
        copy(
                TEMPLATES.resolve("src/main/java/org/dllab/hw/hw1"),
                export.resolve("carol")); // only the template
        copy(SOLUTION, export.resolve("dave"));
        Path mlp = export.resolve("dave/Mlp.java");
        Files.writeString(
                mlp,
                Files.readString(mlp)
                        .replace(
                                "for (int i = layers.size() - 1; i >= 0; i--) {\n            g = layers.get(i).backward(g);\n        }",
                                "java.util.List<Layer> reversed = new java.util.ArrayList<>(layers);\n        java.util.Collections.reverse(reversed);\n"
                                        + "        for (Layer layer : reversed) {\n            g = layer.backward(g);\n        }"));
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        List<Similarity.Pair> pairs = Similarity.run("hw1", export, TEMPLATES, out, 10);
        assertEquals(6, pairs.size(), "4 students, every pair");
        Similarity.Pair top = pairs.get(0);
        assertTrue(
                Set.of(top.first(), top.second()).equals(Set.of("alice", "bob")),
                "alice/bob first: " + pairs);
        assertTrue(top.average() > 0.7, top.toString());
        assertTrue(
                pairs.stream()
                        .filter(p -> Set.of(p.first(), p.second()).contains("carol"))
                        .allMatch(p -> p.average() < 0.5),
                "the template alone is base code, not similarity: " + pairs);
        assertTrue(Files.readAllLines(out.resolve("similarity.csv")).get(1).contains("alice"));
        assertTrue(Files.size(out.resolve("jplag-report.zip")) > 1000);
    }
}
