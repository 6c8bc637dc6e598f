package org.dllab.labs.week15;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.dllab.core.Scalars;
import org.dllab.run.TrainingInterrupt;

/**
 * Deep Q-learning (Mnih et al. 2015) on {@link CartPole}: an epsilon-greedy agent stores its
 * transitions in a replay buffer and learns {@code Q(s, a) -> r + gamma max_a' Q_target(s', a')} on
 * random mini-batches of them, with the target network a copy of the online one refreshed every
 * {@link #TARGET_SYNC} steps. The action of the target is chosen by the online network (Double DQN,
 * van Hasselt et al. 2016), which keeps Q from overestimating.
 */
public final class Dqn implements AutoCloseable {

    /** Discount. */
    public static final double GAMMA = 0.99;

    /** Hidden widths. */
    public static final int HIDDEN = 128;

    /** Adam step size. */
    public static final float LEARNING_RATE = 1e-3f;

    /** Transitions kept: about 100 episodes of a good agent. */
    public static final int BUFFER = 50_000;

    /** Transitions collected before learning starts. */
    public static final int WARMUP = 1_000;

    /** Mini-batch size. */
    public static final int BATCH = 64;

    /** Steps between target-network copies. */
    public static final int TARGET_SYNC = 500;

    /** Epsilon falls linearly from 1 to {@link #EPSILON_END} over this many steps. */
    public static final int EPSILON_STEPS = 10_000;

    /** Exploration that stays. */
    public static final double EPSILON_END = 0.05;

    private final NDManager manager;
    private final Mlp online;
    private final Mlp target;
    private final Mlp best;
    private final Optimizer optimizer;
    private final Random random;
    private final float[][] states = new float[BUFFER][];
    private final float[][] nextStates = new float[BUFFER][];
    private final int[] actions = new int[BUFFER];
    private final float[] rewards = new float[BUFFER];
    private final boolean[] terminal = new boolean[BUFFER];
    private int stored;
    private long steps;
    private double bestScore = -1;

    /**
     * Creates the agent; the network draws from the engine's generator (seed it first).
     *
     * @param seed seed of exploration and replay sampling
     */
    public Dqn(long seed) {
        manager = NDManager.newBaseManager();
        online = new Mlp(manager, "q", 4, HIDDEN, HIDDEN, 2);
        target = new Mlp(manager, "target", 4, HIDDEN, HIDDEN, 2);
        best = new Mlp(manager, "best", 4, HIDDEN, HIDDEN, 2);
        target.copyFrom(online);
        best.copyFrom(online);
        optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build();
        random = new Random(seed);
    }

    /**
     * Trains for some episodes. Every {@code evalEvery} episodes the greedy agent plays 10 episodes
     * of {@code evalEnv}; the best such network is kept (DQN on CartPole is known to forget a good
     * policy later).
     *
     * @param env the training environment
     * @param evalEnv the environment for the periodic checks
     * @param episodes how many episodes
     * @param maxSteps stop earlier after this many environment steps in all (0: no limit)
     * @param evalEvery episodes between checks
     * @param onEpisode receives each episode's return
     * @return the returns, one per episode
     */
    public List<Integer> train(
            CartPole env,
            CartPole evalEnv,
            int episodes,
            long maxSteps,
            int evalEvery,
            IntConsumer onEpisode) {
        List<Integer> returns = new ArrayList<>();
        for (int e = 0; e < episodes && (maxSteps <= 0 || steps < maxSteps); e++) {
            double[] s = env.reset();
            CartPole.Step step;
            int length = 0;
            do {
                int a =
                        random.nextDouble() < epsilon()
                                ? random.nextInt(2)
                                : greedy(online.apply(s));
                step = env.step(a);
                remember(s, a, step);
                s = step.state();
                length++;
                steps++;
                if (stored >= WARMUP) {
                    learn();
                }
                if (steps % TARGET_SYNC == 0) {
                    target.copyFrom(online);
                }
            } while (!step.done());
            returns.add(length);
            onEpisode.accept(length);
            if (stored >= WARMUP && (e + 1) % evalEvery == 0) {
                double score = Agents.mean(Agents.greedyReturns(evalEnv, 10, online));
                if (score >= bestScore) {
                    bestScore = score;
                    best.copyFrom(online);
                }
            }
        }
        return returns;
    }

    /**
     * Current exploration rate.
     *
     * @return epsilon
     */
    public double epsilon() {
        return Math.max(EPSILON_END, 1 - (1 - EPSILON_END) * steps / (double) EPSILON_STEPS);
    }

    private static int greedy(float[] q) {
        return q[1] > q[0] ? 1 : 0;
    }

    private void remember(double[] s, int a, CartPole.Step step) {
        int i = (int) (steps % BUFFER);
        states[i] = toFloats(s);
        nextStates[i] = toFloats(step.state());
        actions[i] = a;
        rewards[i] = (float) step.reward();
        terminal[i] = step.terminated(); // a time limit is not a terminal state: its value is
        // bootstrapped
        stored = Math.min(stored + 1, BUFFER);
    }

    private void learn() {
        float[] x = new float[BATCH * 4];
        float[] x2 = new float[BATCH * 4];
        float[] chosen = new float[BATCH * 2];
        float[] r = new float[BATCH];
        float[] live = new float[BATCH];
        for (int b = 0; b < BATCH; b++) {
            int i = random.nextInt(stored);
            System.arraycopy(states[i], 0, x, b * 4, 4);
            System.arraycopy(nextStates[i], 0, x2, b * 4, 4);
            chosen[b * 2 + actions[i]] = 1;
            r[b] = rewards[i];
            live[b] = terminal[i] ? 0 : 1;
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray next = sub.create(x2, new Shape(BATCH, 4));
            NDArray pick = sub.create(chosen, new Shape(BATCH, 2));
            // Double DQN target, outside the gradient: a' by the online network, its value by the
            // target network
            NDArray nextAction = online.forward(next).argMax(1).oneHot(2);
            NDArray nextValue = target.forward(next).mul(nextAction).sum(new int[] {1});
            NDArray y =
                    sub.create(r)
                            .add(
                                    nextValue
                                            .mul(sub.create(live))
                                            .mul(sub.full(new Shape(), (float) GAMMA)))
                            .stopGradient();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray q =
                        online.forward(sub.create(x, new Shape(BATCH, 4)))
                                .mul(pick)
                                .sum(new int[] {1});
                gc.backward(huber(q, y));
            }
        }
        online.step(optimizer);
        TrainingInterrupt.check(); // a signal stops the run here, between steps
    }

    /**
     * Plays episodes greedily with the best network found during training.
     *
     * @param env the environment
     * @param episodes how many
     * @return the returns
     */
    public int[] evaluate(CartPole env, int episodes) {
        return Agents.greedyReturns(env, episodes, bestScore < 0 ? online : best);
    }

    /**
     * The Q-network's size.
     *
     * @return its parameters
     */
    public long parameters() {
        return online.parameterCount();
    }

    /**
     * Environment steps so far.
     *
     * @return the count
     */
    public long steps() {
        return steps;
    }

    private static float[] toFloats(double[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) s[i];
        }
        return f;
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * The Huber loss with delta 1 (DQN's, Mnih et al. 2015): quadratic for errors within 1, linear
     * beyond, so a rare large TD error does not blow up the gradient.
     */
    private static NDArray huber(NDArray prediction, NDArray target) {
        NDArray r = prediction.sub(target).abs();
        return NDArrays.where(r.lte(1f), Scalars.mul(r.square(), 0.5), r.sub(0.5f)).mean();
    }
}
