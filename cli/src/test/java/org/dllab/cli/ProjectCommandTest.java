package org.dllab.cli;

import static org.dllab.cli.MainTest.dllab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The course competition through the CLI: create, a group checks its file against the kit, the instructor scores and ranks. */
class ProjectCommandTest {

    @TempDir
    Path tmp;

    @Test
    void createCheckScoreAndRank() throws Exception {
        Path hidden = tmp.resolve("hidden.csv");
        Files.writeString(hidden, "id,label\n1,0\n2,1\n3,1\n4,0\n5,1\n6,0\n7,1\n8,0\n9,0\n10,1\n");
        Path comp = tmp.resolve("comp");
        MainTest.Outcome created = dllab("project", "competition", "create", "--labels", hidden.toString(), "--metric", "f1", "--public-fraction", "0.5",
                "--out", comp.toString());
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("f1 competition: 10 test ids (5 public, 5 private), classes [0, 1]"), created.out());
        assertEquals(1, dllab("project", "competition", "create", "--labels", hidden.toString(), "--metric", "f1", "--out", comp.toString()).code(),
                "an existing competition is never overwritten");

        Path good = tmp.resolve("subs/alpha.csv");
        Files.createDirectories(good.getParent());
        Files.writeString(good, "id,label\n1,0\n2,1\n3,1\n4,0\n5,1\n6,0\n7,1\n8,0\n9,0\n10,1\n");
        MainTest.Outcome kit = dllab("project", "score", "--competition", comp.resolve("kit").toString(), good.toString());
        assertEquals(0, kit.code(), kit.err());
        assertTrue(kit.out().contains("alpha.csv is valid: 10 rows, ready to hand in"), kit.out());
        MainTest.Outcome scored = dllab("project", "score", "--competition", comp.toString(), good.toString());
        assertTrue(scored.out().contains("Public f1: 1.00000 (higher is better)"), scored.out());

        Path bad = tmp.resolve("subs/beta.csv");
        Files.writeString(bad, "id,label\n1,0\n2,yes\n");
        MainTest.Outcome refused = dllab("project", "score", "--competition", comp.resolve("kit").toString(), bad.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("line 3: label 'yes' is not a class (0, 1)"), refused.err());

        MainTest.Outcome board = dllab("project", "leaderboard", comp.toString(), tmp.resolve("subs").toString(), "--out", tmp.resolve("board").toString());
        assertEquals(0, board.code(), board.err());
        assertTrue(board.out().contains(" 1  alpha") && board.out().contains("beta                 not scored: line 3"), board.out());
        assertTrue(Files.isRegularFile(tmp.resolve("board/private.html")));
    }
}
