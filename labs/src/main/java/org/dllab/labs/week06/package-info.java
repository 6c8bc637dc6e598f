/**
 * Week 6: convolution arithmetic, a simple CNN and a small ResNet on CIFAR-10, and pictures of what
 * they learned.
 */
package org.dllab.labs.week06;
