/**
 * Week 14, efficient training: gradient accumulation, {@link org.dllab.labs.week14.MixedPrecision}
 * (fp16 with fp32 master weights and loss scaling), warm-up and cosine decay, a {@link
 * org.dllab.labs.week14.CheckpointableAdam} for exact resumes; the lab {@link
 * org.dllab.labs.week14.EfficientTrainingLab}.
 */
package org.dllab.labs.week14;
