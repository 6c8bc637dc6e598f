package org.dllab.grading.competition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The leaderboards of a class: every submission under a folder ({@code TEAM.csv}, or {@code
 * TEAM/submission.csv}) checked and scored on the public and the private part; {@code public.csv}
 * and {@code leaderboard.html} to show during the course, {@code private.csv} and {@code
 * private.html} for the end (with each team's public rank beside, so the shake-up is visible).
 * Submissions that cannot be scored are listed with their first problem.
 */
public final class Leaderboard {

    /**
     * One team's entry.
     *
     * @param team the team (file or folder name)
     * @param publicScore the score on the public part, NaN when invalid
     * @param privateScore the score on the private part, NaN when invalid
     * @param problem the first problem of an invalid submission, else null
     */
    public record Entry(String team, double publicScore, double privateScore, String problem) {}

    private Leaderboard() {}

    /**
     * Scores every submission and writes both leaderboards.
     *
     * @param competition the instructor's competition (with labels)
     * @param submissions the folder of submissions
     * @param out the folder to write
     * @return the entries, valid ones ranked by the public score first
     * @throws IOException when the folders cannot be read or written
     */
    public static List<Entry> write(Competition competition, Path submissions, Path out)
            throws IOException {
        if (!competition.canScore()) {
            throw new IllegalArgumentException(
                    "this competition folder has no labels (a group's kit): use the instructor's folder");
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(submissions)) {
            for (Path f :
                    walk.filter(
                                    p ->
                                            Files.isRegularFile(p)
                                                    && p.getFileName().toString().endsWith(".csv"))
                            .sorted()
                            .toList()) {
                String team =
                        f.getFileName().toString().equals("submission.csv")
                                ? f.getParent().getFileName().toString()
                                : f.getFileName().toString().replaceFirst("\\.csv$", "");
                try {
                    Submission s = Submission.read(f, competition);
                    entries.add(
                            new Entry(
                                    team,
                                    competition.score(s, Competition.Part.PUBLIC),
                                    competition.score(s, Competition.Part.PRIVATE),
                                    null));
                } catch (SubmissionException e) {
                    entries.add(new Entry(team, Double.NaN, Double.NaN, e.problems().get(0)));
                }
            }
        }
        Comparator<Entry> byPublic = Comparator.comparingDouble(Entry::publicScore);
        Comparator<Entry> byPrivate = Comparator.comparingDouble(Entry::privateScore);
        if (competition.metric().higherIsBetter()) {
            byPublic = byPublic.reversed();
            byPrivate = byPrivate.reversed();
        }
        List<Entry> valid = entries.stream().filter(e -> e.problem() == null).toList();
        List<Entry> invalid = entries.stream().filter(e -> e.problem() != null).toList();
        List<Entry> publicRank = valid.stream().sorted(byPublic).toList();
        List<Entry> privateRank = valid.stream().sorted(byPrivate).toList();
        Files.createDirectories(out);
        String metric =
                competition.metric().cliName()
                        + (competition.metric().higherIsBetter()
                                ? " (higher is better)"
                                : " (lower is better)");
        StringBuilder pub = new StringBuilder("rank,team,public_score\n");
        StringBuilder priv =
                new StringBuilder("rank,team,private_score,public_score,public_rank\n");
        for (int i = 0; i < publicRank.size(); i++) {
            pub.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%s,%.5f%n",
                            i + 1,
                            csv(publicRank.get(i).team()),
                            publicRank.get(i).publicScore()));
        }
        for (int i = 0; i < privateRank.size(); i++) {
            Entry e = privateRank.get(i);
            priv.append(
                    String.format(
                            Locale.ROOT,
                            "%d,%s,%.5f,%.5f,%d%n",
                            i + 1,
                            csv(e.team()),
                            e.privateScore(),
                            e.publicScore(),
                            publicRank.indexOf(e) + 1));
        }
        for (Entry e : invalid) {
            pub.append(",")
                    .append(csv(e.team()))
                    .append(',')
                    .append(csv("invalid: " + e.problem()))
                    .append('\n');
            priv.append(",")
                    .append(csv(e.team()))
                    .append(',')
                    .append(csv("invalid: " + e.problem()))
                    .append(",,\n");
        }
        Files.writeString(out.resolve("public.csv"), pub, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("private.csv"), priv, StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("leaderboard.html"),
                html(
                        "Public leaderboard",
                        metric,
                        competition.publicIds().size(),
                        publicRank,
                        invalid,
                        null),
                StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve("private.html"),
                html(
                        "Private leaderboard (final)",
                        metric,
                        competition.ids().size() - competition.publicIds().size(),
                        privateRank,
                        invalid,
                        publicRank),
                StandardCharsets.UTF_8);
        List<Entry> all = new ArrayList<>(publicRank);
        all.addAll(invalid);
        return all;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * A leaderboard page; {@code publicRank} given for the private one (its scores are private, the
     * public rank beside).
     */
    private static String html(
            String title,
            String metric,
            int ids,
            List<Entry> ranked,
            List<Entry> invalid,
            List<Entry> publicRank) {
        boolean isPrivate = publicRank != null;
        StringBuilder b =
                new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                        .append(title)
                        .append("</title><style>")
                        .append(
                                "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd}")
                        .append("td.n{text-align:right}</style></head><body><h1>")
                        .append(title)
                        .append("</h1><p>")
                        .append(esc(metric))
                        .append(", on ")
                        .append(ids)
                        .append(" test ids.</p><table><tr><th>#</th><th>team</th><th>score</th>")
                        .append(isPrivate ? "<th>public score</th><th>public #</th>" : "")
                        .append("</tr>");
        for (int i = 0; i < ranked.size(); i++) {
            Entry e = ranked.get(i);
            b.append("<tr><td class=n>")
                    .append(i + 1)
                    .append("</td><td>")
                    .append(esc(e.team()))
                    .append("</td><td class=n>")
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "%.5f",
                                    isPrivate ? e.privateScore() : e.publicScore()))
                    .append("</td>");
            if (isPrivate) {
                b.append("<td class=n>")
                        .append(String.format(Locale.ROOT, "%.5f", e.publicScore()))
                        .append("</td><td class=n>")
                        .append(publicRank.indexOf(e) + 1)
                        .append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</table>");
        if (!invalid.isEmpty()) {
            b.append("<h2>Not scored</h2><ul>");
            invalid.forEach(
                    e ->
                            b.append("<li>")
                                    .append(esc(e.team()))
                                    .append(": ")
                                    .append(esc(e.problem()))
                                    .append("</li>"));
            b.append("</ul>");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
