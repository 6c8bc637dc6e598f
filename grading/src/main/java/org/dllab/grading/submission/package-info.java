/**
 * Turning what a student handed in (a folder or a zip, packed by {@code dllab homework pack} or
 * exported by an LMS) into a staging folder that holds only the expected files, and grading it.
 */
package org.dllab.grading.submission;
