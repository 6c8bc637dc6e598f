/** Plagiarism screening of a class with JPlag (Java module), the homework template as base code. */
package org.dllab.grading.similarity;
