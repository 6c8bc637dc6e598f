/**
 * Week 3: backpropagation by hand for a two-layer network, checked against autograd and finite
 * differences.
 */
package org.dllab.labs.week03;
