/**
 * One annotated master, two outputs: the generator that turns the reference solutions in {@code
 * solutions/} into the student templates in {@code homework-templates/} (marker grammar in {@link
 * org.dllab.grading.template.TemplateGenerator}).
 */
package org.dllab.grading.template;
