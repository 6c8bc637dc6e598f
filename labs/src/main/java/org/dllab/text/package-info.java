/**
 * The text pipeline the language labs share: cleaning raw reviews, a WordPiece tokenizer built from
 * the training data and run by Hugging Face's tokenizers (through DJL), truncation, padding and
 * attention masks, vocabulary statistics. Chinese: {@link org.dllab.text.ChineseText} (Traditional
 * → Simplified, jieba words or characters), a plain {@link org.dllab.text.TokenVocabulary}, and
 * {@link org.dllab.text.WaimaiCorpus}; {@link org.dllab.text.SentimentCorpus} is what the week-8
 * and week-10 labs see of either language. The GPT-2 byte-level BPE tokenizer lives in {@link
 * org.dllab.data.Gpt2Bpe}.
 */
package org.dllab.text;
