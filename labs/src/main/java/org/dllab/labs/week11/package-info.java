/** Week 11: the Vision Transformer from scratch on MNIST and CIFAR-10. */
package org.dllab.labs.week11;
