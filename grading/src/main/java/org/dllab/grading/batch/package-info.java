/**
 * Grading a whole class: the export's students, a crash-safe journal, per-student reports, the
 * class CSV and summary.
 */
package org.dllab.grading.batch;
