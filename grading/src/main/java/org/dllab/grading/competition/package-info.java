/**
 * A course competition for the final project, without a server: the instructor's hidden labels with
 * a seeded public/private split of the test ids ({@link
 * org.dllab.grading.competition.Competition}), a group's {@code submission.csv} validated with
 * errors that name the line ({@link org.dllab.grading.competition.Submission}), scored with the
 * competition's metric ({@link org.dllab.grading.competition.Metric}), and the public and private
 * leaderboards ({@link org.dllab.grading.competition.Leaderboard}).
 */
package org.dllab.grading.competition;
