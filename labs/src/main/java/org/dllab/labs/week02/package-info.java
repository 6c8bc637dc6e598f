/**
 * Week 2: neural nets start as regression; gradient descent three ways (closed form, by hand,
 * autograd).
 */
package org.dllab.labs.week02;
