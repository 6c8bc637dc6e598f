/**
 * Homework 2: CIFAR-10 image classification. Decode the official binary records, split and normalise the data,
 * build the course's CNN, write the training and validation loops and the accuracy metric.
 */
package org.dllab.hw.hw2;
