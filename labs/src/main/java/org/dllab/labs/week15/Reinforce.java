package org.dllab.labs.week15;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.dllab.run.TrainingInterrupt;

/**
 * REINFORCE with a learned baseline (Williams 1992; Sutton and Barto ch. 13.4) on {@link CartPole}:
 * play an episode with the stochastic policy, compute the discounted returns {@code G_t}, and step
 * along {@code mean_t (G_t - V(s_t)) grad log pi(a_t | s_t)}; the value network V learns {@code
 * G_t} by squared error at the same time. The baseline does not change the expected gradient, only
 * its variance.
 */
public final class Reinforce implements AutoCloseable {

    /** Discount: returns look about 100 steps ahead. */
    public static final double GAMMA = 0.99;

    /** Hidden width of both networks: plenty for four inputs. */
    public static final int HIDDEN = 128;

    /** Policy step size (Adam). */
    public static final float POLICY_LR = 1e-3f;

    /** Value step size (Adam): the critic may move faster than the actor. */
    public static final float VALUE_LR = 3e-3f;

    /**
     * Returns are divided by this before the value network sees them (they reach 100, its outputs
     * start near 0).
     */
    public static final double RETURN_SCALE = 100;

    private final NDManager manager;
    private final Mlp policy;
    private final Mlp value;
    private final Optimizer policyOptimizer;
    private final Optimizer valueOptimizer;
    private final Random random;

    /**
     * Creates the agent. The networks draw from the engine's generator: seed it first.
     *
     * @param seed seed of the action sampling
     */
    public Reinforce(long seed) {
        manager = NDManager.newBaseManager();
        policy = new Mlp(manager, "policy", 4, HIDDEN, 2);
        value = new Mlp(manager, "value", 4, HIDDEN, 1);
        policyOptimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(POLICY_LR)).build();
        valueOptimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(VALUE_LR)).build();
        random = new Random(seed);
    }

    /**
     * Trains for some episodes.
     *
     * @param env the environment
     * @param episodes how many
     * @param onEpisode receives each episode's return
     * @return the returns, one per episode
     */
    public List<Integer> train(CartPole env, int episodes, IntConsumer onEpisode) {
        List<Integer> returns = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            List<double[]> states = new ArrayList<>();
            List<Integer> actions = new ArrayList<>();
            double[] s = env.reset();
            CartPole.Step step;
            do {
                int a = sample(policy.apply(s));
                states.add(s);
                actions.add(a);
                step = env.step(a);
                s = step.state();
            } while (!step.done());
            update(states, actions, step.truncated());
            returns.add(states.size());
            onEpisode.accept(states.size());
        }
        return returns;
    }

    /**
     * One gradient step on one episode. A truncated episode's last state is worth more than 0: V
     * bootstraps it.
     */
    private void update(List<double[]> states, List<Integer> actions, boolean truncated) {
        int n = states.size();
        double bootstrap = truncated ? value.apply(states.get(n - 1))[0] * RETURN_SCALE : 0;
        float[] x = new float[n * 4];
        float[] chosen = new float[n * 2];
        float[] g = new float[n];
        double running = bootstrap;
        for (int t = n - 1; t >= 0; t--) {
            running = 1 + GAMMA * running;
            g[t] = (float) running;
        }
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < 4; i++) {
                x[t * 4 + i] = (float) states.get(t)[i];
            }
            chosen[t * 2 + actions.get(t)] = 1;
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray xs = sub.create(x, new Shape(n, 4));
            NDArray picked = sub.create(chosen, new Shape(n, 2));
            NDArray returns = sub.create(g, new Shape(n));
            NDArray scaledReturns = returns.div(sub.full(new Shape(), (float) RETURN_SCALE));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = value.forward(xs).reshape(n);
                // the advantage is a constant for the policy's gradient: computed from V's values,
                // not its graph
                NDArray advantage = scaledReturns.sub(v.stopGradient());
                NDArray centred = advantage.sub(advantage.mean());
                advantage =
                        centred.div(centred.square().mean().sqrt().add(1e-8f)); // scale-free steps
                NDArray logProbability =
                        policy.forward(xs).logSoftmax(1).mul(picked).sum(new int[] {1});
                NDArray policyLoss = logProbability.mul(advantage).mean().neg();
                NDArray valueLoss = v.sub(scaledReturns).square().mean();
                gc.backward(policyLoss.add(valueLoss));
            }
        }
        policy.step(policyOptimizer);
        value.step(valueOptimizer);
        TrainingInterrupt.check(); // a signal stops the run here, between steps
    }

    private int sample(float[] logits) {
        double p1 = 1 / (1 + Math.exp(logits[0] - logits[1])); // softmax of two
        return random.nextDouble() < p1 ? 1 : 0;
    }

    /**
     * Plays episodes with the most likely action (no exploration) and no learning.
     *
     * @param env the environment
     * @param episodes how many
     * @return the returns
     */
    public int[] evaluate(CartPole env, int episodes) {
        return Agents.greedyReturns(env, episodes, policy);
    }

    /**
     * The policy network's size.
     *
     * @return parameters of the policy (the value network has as many, minus one output)
     */
    public long policyParameters() {
        return policy.parameterCount();
    }

    @Override
    public void close() {
        manager.close();
    }
}
