package org.dllab.labs.week15;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CartPole against Gym's equations worked by hand, its termination and its time limit. */
class CartPoleTest {

    @Test
    void onePushFromRestMatchesTheEquationsWorkedByHand() {
        // push right from rest: temp = 10 / 1.1; theta'' = -temp / (0.5 (4/3 - 0.1/1.1)); x'' =
        // temp - 0.05 theta'' / 1.1
        double temp = 10 / 1.1;
        double thetaAcc = -temp / (0.5 * (4.0 / 3.0 - 0.1 / 1.1));
        double xAcc = temp - 0.05 * thetaAcc / 1.1;
        assertArrayEquals(
                new double[] {0, 0.02 * xAcc, 0, 0.02 * thetaAcc},
                CartPole.next(new double[4], 1),
                1e-12);
        assertArrayEquals(
                new double[] {0, 0.19512195, 0, -0.29268293},
                CartPole.next(new double[4], 1),
                1e-8,
                "Gym's numbers");
        double[] left = CartPole.next(new double[4], 0);
        assertEquals(-0.19512195, left[1], 1e-8, "pushing left is the mirror image");
    }

    @Test
    void thePoleFallsWhenPushedOneWayAndTheEpisodeThenRefusesSteps() {
        CartPole env = new CartPole(7);
        env.reset();
        CartPole.Step step;
        int n = 0;
        do {
            step = env.step(1);
            n++;
        } while (!step.done());
        assertTrue(step.terminated() && !step.truncated());
        assertTrue(Math.abs(step.state()[2]) > CartPole.THETA_LIMIT, "ended by the angle");
        assertTrue(n > 5 && n < 20, "falls within a fraction of a second: " + n + " steps");
        assertEquals(1.0, step.reward(), "the last step is rewarded too");
        assertThrows(IllegalStateException.class, () -> env.step(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> {
                    env.reset();
                    env.step(2);
                });
    }

    @Test
    void aBalancingControllerIsStoppedByTheTimeLimit() {
        CartPole env = new CartPole(3);
        double[] s = env.reset();
        CartPole.Step step;
        do { // a hand-made controller: push towards where the pole is falling, and gently back to
            // the centre
            double u = s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1];
            step = env.step(u > 0 ? 1 : 0);
            s = step.state();
        } while (!step.done());
        assertTrue(step.truncated(), "balanced to the limit");
        assertFalse(step.terminated());
        assertEquals(CartPole.MAX_STEPS, env.steps());
    }

    @Test
    void startStatesAreSmallAndSeeded() {
        double[] a = new CartPole(5).reset();
        assertArrayEquals(a, new CartPole(5).reset(), "same seed, same start");
        for (double v : a) {
            assertTrue(Math.abs(v) <= 0.05);
        }
    }
}
