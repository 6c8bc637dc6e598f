package org.dllab.labs.week15;

import java.util.List;

/**
 * A small deterministic grid world: the agent starts at {@code S}, moves up, right, down or left
 * one cell per step, and is stopped by walls ({@code #}) and the border. Each step costs 1;
 * reaching the goal {@code G} gives +10 and ends the episode, falling into a pit {@code X} gives
 * -10 and ends it too. The shortest safe path is the best policy.
 */
public final class GridWorld {

    /** The default map: the short way along the bottom passes the pit. */
    public static final List<String> DEFAULT_MAP =
            List.of("S....", ".#.#.", ".#...", "...#.", "X#..G");

    /** Moves: up, right, down, left. */
    public static final int[][] MOVES = {{-1, 0}, {0, 1}, {1, 0}, {0, -1}};

    /** Arrows for the moves, in the same order. */
    public static final String[] ARROWS = {"^", ">", "v", "<"};

    /** Reward of reaching the goal. */
    public static final double GOAL = 10;

    /** Reward of falling into a pit. */
    public static final double PIT = -10;

    /** Reward of every other step. */
    public static final double STEP = -1;

    private final char[][] cells;
    private final int start;

    /**
     * Parses a map.
     *
     * @param rows equal-length rows of {@code . # S G X}, with one {@code S} and at least one
     *     {@code G}
     * @throws IllegalArgumentException naming the row and column of what is wrong
     */
    public GridWorld(List<String> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the map has no rows");
        }
        cells = new char[rows.size()][];
        int s = -1;
        boolean goal = false;
        for (int r = 0; r < rows.size(); r++) {
            cells[r] = rows.get(r).toCharArray();
            if (cells[r].length != cells[0].length) {
                throw new IllegalArgumentException(
                        "map row "
                                + (r + 1)
                                + " has "
                                + cells[r].length
                                + " cells, row 1 has "
                                + cells[0].length);
            }
            for (int c = 0; c < cells[r].length; c++) {
                switch (cells[r][c]) {
                    case 'S' -> {
                        if (s >= 0) {
                            throw new IllegalArgumentException(
                                    "a second start S at row " + (r + 1) + ", column " + (c + 1));
                        }
                        s = r * cells[0].length + c;
                    }
                    case 'G' -> goal = true;
                    case '.', '#', 'X' -> {}
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown cell '"
                                            + cells[r][c]
                                            + "' at row "
                                            + (r + 1)
                                            + ", column "
                                            + (c + 1)
                                            + " (use . # S G X)");
                }
            }
        }
        if (s < 0 || !goal) {
            throw new IllegalArgumentException("the map needs one start S and a goal G");
        }
        start = s;
    }

    /**
     * Rows.
     *
     * @return the height
     */
    public int rows() {
        return cells.length;
    }

    /**
     * Columns.
     *
     * @return the width
     */
    public int columns() {
        return cells[0].length;
    }

    /**
     * States, one per cell (walls included, never visited).
     *
     * @return rows x columns
     */
    public int states() {
        return rows() * columns();
    }

    /**
     * The start state.
     *
     * @return its index (row * columns + column)
     */
    public int start() {
        return start;
    }

    /**
     * The cell of a state.
     *
     * @param state an index
     * @return one of {@code . # S G X}
     */
    public char cell(int state) {
        return cells[state / columns()][state % columns()];
    }

    /**
     * Whether a state ends the episode.
     *
     * @param state an index
     * @return goal or pit
     */
    public boolean terminal(int state) {
        char c = cell(state);
        return c == 'G' || c == 'X';
    }

    /**
     * Where a move leads (walls and the border stop it).
     *
     * @param state where the agent is
     * @param action 0 up, 1 right, 2 down, 3 left
     * @return the next state
     */
    public int next(int state, int action) {
        int r = state / columns() + MOVES[action][0];
        int c = state % columns() + MOVES[action][1];
        if (r < 0 || c < 0 || r >= rows() || c >= columns() || cells[r][c] == '#') {
            return state;
        }
        return r * columns() + c;
    }

    /**
     * The reward for arriving in a state.
     *
     * @param state the state arrived in
     * @return +10 at the goal, -10 in a pit, -1 elsewhere
     */
    public double reward(int state) {
        return switch (cell(state)) {
            case 'G' -> GOAL;
            case 'X' -> PIT;
            default -> STEP;
        };
    }
}
