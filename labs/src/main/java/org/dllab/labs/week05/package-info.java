/** Week 5: loss functions and a first real classifier, an MLP on MNIST. */
package org.dllab.labs.week05;
