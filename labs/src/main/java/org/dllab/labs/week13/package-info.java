/**
 * Week 13, compression: the {@link org.dllab.labs.week13.Quantizer} (int8/int4, per tensor or channel, symmetric or
 * asymmetric), whole-model quantisation and its file ({@link org.dllab.labs.week13.QuantizedModels}),
 * {@link org.dllab.labs.week13.Pruning}, {@link org.dllab.labs.week13.DistillationLoss}; the lab
 * {@link org.dllab.labs.week13.QuantizationLab}.
 */
package org.dllab.labs.week13;
