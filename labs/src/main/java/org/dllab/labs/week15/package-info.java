/**
 * Week 15, reinforcement learning: {@link org.dllab.labs.week15.CartPole} (Gym's CartPole-v1) and a
 * {@link org.dllab.labs.week15.GridWorld}; tabular {@link org.dllab.labs.week15.QLearning}, {@link
 * org.dllab.labs.week15.Reinforce} with a baseline and {@link org.dllab.labs.week15.Dqn}; the lab
 * {@link org.dllab.labs.week15.RlLab}.
 */
package org.dllab.labs.week15;
