/**
 * Quizzes: a bilingual question bank, one YAML file per week ({@code
 * src/main/resources/quizzes/wNN.yaml}), whose parameterised questions draw their numbers per
 * student and get their answers from the engine ({@link org.dllab.grading.quiz.Computations}: DJL
 * builds the layer, runs the loss, differentiates the function); practice in the terminal, export
 * to Moodle XML, grade collected answers.
 */
package org.dllab.grading.quiz;
