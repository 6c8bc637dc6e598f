/**
 * Week 12, large language models: {@link org.dllab.models.Gpt2} (Hugging Face's layout and
 * checkpoints, KV cache), {@link org.dllab.models.Generation} (greedy, temperature, top-k, top-p)
 * and the lab {@link org.dllab.labs.week12.GptLab}.
 */
package org.dllab.labs.week12;
