package org.dllab.grading.template;

/**
 * One blank of a template.
 *
 * @param id e.g. {@code hw1-3}, numbered in file order within the homework
 * @param file the file, relative to the homework's source root
 * @param line the line of its marker in the solution
 * @param zh the hint in Traditional Chinese
 * @param en the hint in English
 */
public record BlankInfo(String id, String file, int line, String zh, String en) {}
