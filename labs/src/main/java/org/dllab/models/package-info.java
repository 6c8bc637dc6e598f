/**
 * Pretrained models with real weights, loaded offline and run on DJL's PyTorch engine, for the labs
 * and the homework of the course's second half. {@link org.dllab.models.Llama}: a
 * Llama-2-architecture decoder from llama2.c checkpoints (the tinyllamas) or Hugging Face folders,
 * checked against llama2.c's published greedy output. {@link org.dllab.models.BertEncoder}: a
 * BERT-architecture encoder from an ONNX export (all-MiniLM-L6-v2, from Maven Central) or a Hugging
 * Face folder, checked against ONNX Runtime on the same file. {@link
 * org.dllab.models.SequenceClassifier}: the encoder with a softmax head — fine-tuning (every weight
 * or LoRA adapters), a linear probe, evaluation — on {@link org.dllab.models.EmotionSplits}, the
 * emotion tweets as token ids.
 *
 * <p>And the models the course builds from formulas in one week and reuses in later ones (so that
 * no week depends on another): {@link org.dllab.models.Mlp} (week 5's MNIST MLP), {@link
 * org.dllab.models.SimpleCnn} (week 6), {@link org.dllab.models.Attention}, {@link
 * org.dllab.models.TransformerEncoder} and the text Transformer of weeks 10 and 11 {@link
 * org.dllab.models.TextTransformer}, {@link org.dllab.models.Gpt2} and {@link
 * org.dllab.models.Generation} (week 12; week 13 adds LoRA through {@link
 * org.dllab.models.Gpt2.Adapter}).
 */
package org.dllab.models;
