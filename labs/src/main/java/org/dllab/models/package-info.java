/**
 * Pretrained models with real weights, loaded offline and run on DJL's PyTorch engine, for the labs and the homework
 * of the course's second half. {@link org.dllab.models.Llama}: a Llama-2-architecture decoder from llama2.c checkpoints
 * (the tinyllamas) or Hugging Face folders, checked against llama2.c's published greedy output.
 * {@link org.dllab.models.BertEncoder}: a BERT-architecture encoder from an ONNX export (all-MiniLM-L6-v2, from Maven
 * Central) or a Hugging Face folder, checked against ONNX Runtime on the same file.
 * {@link org.dllab.models.SequenceClassifier}: the encoder with a softmax head — fine-tuning (every weight or LoRA
 * adapters), a linear probe, evaluation — on {@link org.dllab.models.EmotionSplits}, the emotion tweets as token ids.
 */
package org.dllab.models;
