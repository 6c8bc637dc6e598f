/** The graded tests of homework 3 (a self-attention text classifier on IMDb). */
package org.dllab.grading.hw3;
