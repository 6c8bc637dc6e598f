/**
 * Week 11: the Vision Transformer from scratch on MNIST and CIFAR-10, and self-supervised
 * pretraining of a text encoder (masked language model with SKEP's sentiment masking) fine-tuned
 * with scarce labels.
 */
package org.dllab.labs.week11;
