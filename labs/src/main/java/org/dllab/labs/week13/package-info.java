/**
 * Week 13, compression and parameter-efficient fine-tuning: the {@link
 * org.dllab.labs.week13.Quantizer} (int8/int4, per tensor or channel, symmetric or asymmetric),
 * whole-model quantisation and its file ({@link org.dllab.labs.week13.QuantizedModels}), {@link
 * org.dllab.labs.week13.Pruning}, {@link org.dllab.labs.week13.DistillationLoss} and the lab {@link
 * org.dllab.labs.week13.QuantizationLab}; LoRA on the week-12 GPT ({@link
 * org.dllab.labs.week13.GptLora}) with {@link org.dllab.labs.week13.InstructionData}, answers
 * scored by {@link org.dllab.labs.week13.AnswerF1}, and the lab {@link
 * org.dllab.labs.week13.LoraLab}.
 */
package org.dllab.labs.week13;
