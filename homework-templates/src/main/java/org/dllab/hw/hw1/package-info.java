/**
 * Homework 1: backpropagation by hand. Layers with forward and backward passes on NDArrays, written without
 * autograd; an MLP that chains them; a numerical gradient check.
 */
package org.dllab.hw.hw1;
