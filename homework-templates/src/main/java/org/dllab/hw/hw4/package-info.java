/**
 * Homework 4: parameter-efficient fine-tuning and quantization. Wrap the frozen linear layers of a small vision
 * transformer in LoRA adapters, train only the adapters and the head, and compare with full fine-tuning; then store
 * the weights as per-channel symmetric int8 and run the dequantised model.
 */
package org.dllab.hw.hw4;
