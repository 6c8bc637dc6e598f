/**
 * Homework 3: a self-attention text classifier for IMDb. Tokenise with truncation, padding and an attention mask
 * through the Hugging Face tokenizer, write scaled dot-product and multi-head attention with masking, the sinusoidal
 * positional encoding, a pre-LN Transformer encoder block, the classifier, and the metrics (accuracy, precision,
 * recall, F1).
 */
package org.dllab.hw.hw3;
