/**
 * Week 7: overfitting on purpose, and what dropout, weight decay, augmentation, batch norm and
 * early stopping do.
 */
package org.dllab.labs.week07;
