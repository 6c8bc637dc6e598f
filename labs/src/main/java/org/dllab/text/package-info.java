/**
 * The text pipeline the language labs share: cleaning raw reviews, a WordPiece tokenizer built from the training data
 * and run by Hugging Face's tokenizers (through DJL), truncation, padding and attention masks, vocabulary statistics.
 * The GPT-2 byte-level BPE tokenizer lives in {@link org.dllab.data.Gpt2Bpe}.
 */
package org.dllab.text;
