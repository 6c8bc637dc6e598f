/** The graded tests of homework 4 (LoRA fine-tuning and int8 quantisation). */
package org.dllab.grading.hw4;
