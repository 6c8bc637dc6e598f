/**
 * Week 4: optimizers written from scratch as DJL {@link ai.djl.training.optimizer.Optimizer}s (SGD,
 * momentum, RMSProp, Adam), their paths on the Rosenbrock valley and their loss curves on MNIST.
 */
package org.dllab.labs.week04;
