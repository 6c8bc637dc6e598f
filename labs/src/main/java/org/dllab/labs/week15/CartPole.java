package org.dllab.labs.week15;

import java.util.Random;

/**
 * The cart-pole balancing task with the dynamics, constants and termination of Gymnasium's {@code
 * CartPole-v1} (Barto, Sutton and Anderson 1983; semi-implicit form of Florian 2007 as Gym writes
 * it, Euler integration).
 *
 * <p>State {@code (x, x_dot, theta, theta_dot)}; action 0 pushes the cart left, 1 right, with 10 N;
 * reward 1 for every step, the last one included; the episode ends when the pole leans more than 12
 * degrees, the cart leaves [-2.4, 2.4], or after 500 steps (truncation). The start state is uniform
 * in [-0.05, 0.05] in all four numbers.
 */
public final class CartPole {

    /** g, m/s^2. */
    public static final double GRAVITY = 9.8;

    /** Cart mass, kg. */
    public static final double MASS_CART = 1.0;

    /** Pole mass, kg. */
    public static final double MASS_POLE = 0.1;

    /** Half the pole's length, m (Gym's {@code length}). */
    public static final double HALF_LENGTH = 0.5;

    /** Push force, N. */
    public static final double FORCE = 10.0;

    /** Seconds between state updates. */
    public static final double TAU = 0.02;

    /** The pole falls at 12 degrees. */
    public static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;

    /** The cart leaves the track at 2.4 m. */
    public static final double X_LIMIT = 2.4;

    /** v1's time limit. */
    public static final int MAX_STEPS = 500;

    private static final double TOTAL_MASS = MASS_CART + MASS_POLE;
    private static final double POLE_MASS_LENGTH = MASS_POLE * HALF_LENGTH;

    /**
     * What one step returned.
     *
     * @param state the new state
     * @param reward always 1
     * @param terminated the pole fell or the cart left the track
     * @param truncated the time limit was reached
     */
    public record Step(double[] state, double reward, boolean terminated, boolean truncated) {

        /**
         * Whether the episode is over.
         *
         * @return terminated or truncated
         */
        public boolean done() {
            return terminated || truncated;
        }
    }

    private final Random random;
    private double[] state;
    private int steps;
    private boolean over = true;

    /**
     * A cart pole with its own random start states.
     *
     * @param seed seed of the start states
     */
    public CartPole(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Starts an episode.
     *
     * @return the start state (a copy)
     */
    public double[] reset() {
        state = new double[4];
        for (int i = 0; i < 4; i++) {
            state[i] = random.nextDouble() * 0.1 - 0.05;
        }
        steps = 0;
        over = false;
        return state.clone();
    }

    /**
     * Starts an episode from a given state (tests, demonstrations).
     *
     * @param start (x, x_dot, theta, theta_dot)
     */
    public void resetTo(double[] start) {
        state = start.clone();
        steps = 0;
        over = false;
    }

    /**
     * Applies an action for {@link #TAU} seconds.
     *
     * @param action 0 (left) or 1 (right)
     * @return the outcome
     * @throws IllegalStateException after the episode ended, until {@link #reset}
     * @throws IllegalArgumentException for an action other than 0 or 1
     */
    public Step step(int action) {
        if (over) {
            throw new IllegalStateException("the episode is over: call reset() first");
        }
        if (action != 0 && action != 1) {
            throw new IllegalArgumentException(
                    "CartPole has actions 0 (left) and 1 (right), got " + action);
        }
        state = next(state, action);
        steps++;
        boolean terminated = Math.abs(state[0]) > X_LIMIT || Math.abs(state[2]) > THETA_LIMIT;
        boolean truncated = !terminated && steps >= MAX_STEPS;
        over = terminated || truncated;
        return new Step(state.clone(), 1.0, terminated, truncated);
    }

    /**
     * The equations of motion, one Euler step (Gym's {@code euler} integrator).
     *
     * @param s (x, x_dot, theta, theta_dot)
     * @param action 0 or 1
     * @return the next state
     */
    public static double[] next(double[] s, int action) {
        double force = action == 1 ? FORCE : -FORCE;
        double cos = Math.cos(s[2]);
        double sin = Math.sin(s[2]);
        double temp = (force + POLE_MASS_LENGTH * s[3] * s[3] * sin) / TOTAL_MASS;
        double thetaAcc =
                (GRAVITY * sin - cos * temp)
                        / (HALF_LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS));
        double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
        return new double[] {
            s[0] + TAU * s[1], s[1] + TAU * xAcc, s[2] + TAU * s[3], s[3] + TAU * thetaAcc
        };
    }

    /**
     * Steps taken in this episode.
     *
     * @return the count
     */
    public int steps() {
        return steps;
    }
}
