/**
 * Week 10: self-attention written from scratch, checked against DJL's transformer blocks, and a
 * Transformer encoder on IMDb.
 */
package org.dllab.labs.week10;
