/**
 * The labs of the course, one package per week; {@link org.dllab.labs.LabCatalog} lists them for
 * the CLI.
 */
package org.dllab.labs;
