package org.dllab.labs.week15;

/** What the CartPole agents share: greedy evaluation and moving averages. */
public final class Agents {

    private Agents() {}

    /**
     * Plays episodes taking the action with the largest output of {@code net} (policy logits or
     * Q-values).
     *
     * @param env the environment
     * @param episodes how many
     * @param net maps a state to one number per action
     * @return the return of each episode
     */
    public static int[] greedyReturns(CartPole env, int episodes, Mlp net) {
        int[] returns = new int[episodes];
        for (int e = 0; e < episodes; e++) {
            double[] s = env.reset();
            CartPole.Step step;
            do {
                float[] out = net.apply(s);
                step = env.step(out[1] > out[0] ? 1 : 0);
                s = step.state();
                returns[e]++;
            } while (!step.done());
        }
        return returns;
    }

    /**
     * The mean.
     *
     * @param values some numbers
     * @return their mean (0 for none)
     */
    public static double mean(int[] values) {
        double sum = 0;
        for (int v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    /**
     * Trailing moving average, as in the usual "average return over the last 100 episodes".
     *
     * @param values one value per episode
     * @param window the window
     * @return at each episode, the mean of the last {@code window} values (fewer at the start)
     */
    public static double[] movingAverage(java.util.List<Integer> values, int window) {
        double[] out = new double[values.size()];
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += values.get(i);
            if (i >= window) {
                sum -= values.get(i - window);
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
