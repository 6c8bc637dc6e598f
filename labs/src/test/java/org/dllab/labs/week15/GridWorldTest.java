package org.dllab.labs.week15;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grid world's rules, its map errors, and Q-learning finding the shortest safe path. */
class GridWorldTest {

    @Test
    void wallsAndBordersStopMovesAndEndsAreTerminal() {
        GridWorld w = new GridWorld(List.of("S#G", "..X"));
        assertEquals(0, w.next(0, 1), "a wall stops the move");
        assertEquals(0, w.next(0, 0), "so does the border");
        assertEquals(3, w.next(0, 2));
        assertTrue(w.terminal(2) && w.terminal(5));
        assertEquals(GridWorld.GOAL, w.reward(2));
        assertEquals(GridWorld.PIT, w.reward(5));
        assertEquals(GridWorld.STEP, w.reward(4));
    }

    @Test
    void badMapsNameTheCell() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new GridWorld(List.of("S.", ".?G")));
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GridWorld(List.of("S.", ".Z")));
        assertTrue(
                e.getMessage().contains("'Z'") && e.getMessage().contains("column 2"),
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new GridWorld(List.of("..", ".G")),
                "no start");
    }

    @Test
    void qLearningFindsTheShortestSafePath() {
        GridWorld w = new GridWorld(GridWorld.DEFAULT_MAP);
        QLearning ql = new QLearning(w, 1);
        ql.train(500);
        assertEquals(8, RlLab.shortestPath(w));
        assertEquals(RlLab.shortestPath(w), ql.greedyPathLength());
        // value of the start under the optimal policy: 7 steps of -1, then +10, discounted by 0.95
        double expected = 0;
        for (int t = 0; t < 7; t++) {
            expected += -Math.pow(QLearning.GAMMA, t);
        }
        expected += 10 * Math.pow(QLearning.GAMMA, 7);
        assertEquals(expected, ql.value(w.start()), 1e-3, "Q converged to the optimal value");
    }
}
