package org.dllab.labs.week15;

import java.util.Random;
import org.dllab.run.TrainingInterrupt;

/**
 * Tabular Q-learning (Watkins 1989) on a {@link GridWorld}: {@code Q(s, a) += alpha (r + gamma
 * max_a' Q(s', a') - Q(s, a))}, acting epsilon-greedily.
 */
public final class QLearning {

    /** Step size: the world is deterministic, so large steps are safe. */
    public static final double ALPHA = 0.5;

    /** Discount. */
    public static final double GAMMA = 0.95;

    /** Exploration. */
    public static final double EPSILON = 0.1;

    /**
     * An episode stops after this many steps even without reaching an end (a policy that walks into
     * a wall).
     */
    public static final int MAX_STEPS = 200;

    private final GridWorld world;
    private final double[][] q;
    private final Random random;

    /**
     * A learner with Q = 0 everywhere.
     *
     * @param world the world
     * @param seed exploration seed
     */
    public QLearning(GridWorld world, long seed) {
        this.world = world;
        this.q = new double[world.states()][4];
        this.random = new Random(seed);
    }

    /**
     * Learns for some episodes.
     *
     * @param episodes how many
     * @return each episode's total reward
     */
    public double[] train(int episodes) {
        double[] totals = new double[episodes];
        for (int e = 0; e < episodes; e++) {
            TrainingInterrupt.check(); // a signal stops the run here, between steps
            int s = world.start();
            for (int t = 0; t < MAX_STEPS && !world.terminal(s); t++) {
                int a = random.nextDouble() < EPSILON ? random.nextInt(4) : best(s);
                int s2 = world.next(s, a);
                double r = world.reward(s2);
                double future = world.terminal(s2) ? 0 : q[s2][best(s2)];
                q[s][a] += ALPHA * (r + GAMMA * future - q[s][a]);
                totals[e] += r;
                s = s2;
            }
        }
        return totals;
    }

    /**
     * The greedy action (ties: the first).
     *
     * @param state a state
     * @return argmax_a Q(state, a)
     */
    public int best(int state) {
        int b = 0;
        for (int a = 1; a < 4; a++) {
            if (q[state][a] > q[state][b]) {
                b = a;
            }
        }
        return b;
    }

    /**
     * The value of a state under the greedy policy.
     *
     * @param state a state
     * @return max_a Q(state, a)
     */
    public double value(int state) {
        return q[state][best(state)];
    }

    /**
     * Follows the greedy policy from the start.
     *
     * @return the number of steps to an end state, or -1 if it does not arrive within {@link
     *     #MAX_STEPS}
     */
    public int greedyPathLength() {
        int s = world.start();
        for (int t = 0; t < MAX_STEPS; t++) {
            if (world.terminal(s)) {
                return world.cell(s) == 'G' ? t : -1;
            }
            s = world.next(s, best(s));
        }
        return -1;
    }
}
