/**
 * Pretrained models with real weights, loaded offline and run on DJL's PyTorch engine, for the labs and the homework
 * of the course's second half. {@link org.dllab.models.Llama}: a Llama-2-architecture decoder from llama2.c
 * checkpoints (the tinyllamas), checked against llama2.c's published greedy output.
 */
package org.dllab.models;
