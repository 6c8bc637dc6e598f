/** The graded tests of homework 2 (CIFAR-10 image classification). */
package org.dllab.grading.hw2;
