package org.dllab.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A run's {@code report.html}: one self-contained page (images embedded as data URIs, no scripts,
 * no network) that opens in any browser and shows what the run measured. Labs add sections in the
 * order a student should read them.
 */
public final class HtmlReport {

    private final String title;
    private final List<String> parts = new ArrayList<>();

    /**
     * Starts a report.
     *
     * @param title the page title
     */
    public HtmlReport(String title) {
        this.title = title;
    }

    /**
     * Adds a heading.
     *
     * @param text the heading
     * @return this
     */
    public HtmlReport heading(String text) {
        parts.add("<h2>" + escape(text) + "</h2>");
        return this;
    }

    /**
     * Adds a paragraph of plain text.
     *
     * @param text the text
     * @return this
     */
    public HtmlReport paragraph(String text) {
        parts.add("<p>" + escape(text) + "</p>");
        return this;
    }

    /**
     * Adds text as it is, in a fixed-width block (generated text, logs).
     *
     * @param text the text
     * @return this
     */
    public HtmlReport preformatted(String text) {
        parts.add("<pre>" + escape(text) + "</pre>");
        return this;
    }

    /**
     * Adds a table.
     *
     * @param header column names
     * @param rows the cells, already formatted
     * @return this
     */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table><tr>");
        for (String h : header) {
            sb.append("<th>").append(escape(h)).append("</th>");
        }
        sb.append("</tr>");
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (String c : row) {
                sb.append("<td>").append(escape(c)).append("</td>");
            }
            sb.append("</tr>");
        }
        parts.add(sb.append("</table>").toString());
        return this;
    }

    /**
     * Adds the per-epoch metrics table.
     *
     * @param epochs the metrics
     * @return this
     */
    public HtmlReport epochs(List<EpochMetrics> epochs) {
        List<List<String>> rows = new ArrayList<>();
        for (EpochMetrics m : epochs) {
            rows.add(
                    List.of(
                            Integer.toString(m.epoch()),
                            f4(m.trainLoss()),
                            pct(m.trainAccuracy()),
                            f4(m.testLoss()),
                            pct(m.testAccuracy()),
                            String.format(Locale.ROOT, "%.1f", m.seconds()),
                            String.format(Locale.ROOT, "%.0f", m.samplesPerSecond()),
                            String.format(Locale.ROOT, "%.0f", m.rssMegabytes())));
        }
        return table(
                List.of(
                        "epoch",
                        "train loss",
                        "train acc.",
                        "eval loss",
                        "eval acc.",
                        "seconds",
                        "samples/s",
                        "RSS MB"),
                rows);
    }

    /**
     * Embeds a PNG from the run folder.
     *
     * @param caption what it shows
     * @param png the image file
     * @return this
     * @throws IOException when it cannot be read
     */
    public HtmlReport image(String caption, Path png) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        parts.add(
                "<figure><img alt=\""
                        + escape(caption)
                        + "\" src=\"data:image/png;base64,"
                        + data
                        + "\"><figcaption>"
                        + escape(caption)
                        + "</figcaption></figure>");
        return this;
    }

    /**
     * Adds a row of small pictures, each with its caption (e.g. the most confident mistakes).
     *
     * @param captions one caption per picture
     * @param pngs the pictures, PNG bytes
     * @return this
     */
    public HtmlReport figures(List<String> captions, List<byte[]> pngs) {
        StringBuilder sb =
                new StringBuilder("<div style=\"display:flex;flex-wrap:wrap;gap:12px\">");
        for (int i = 0; i < pngs.size(); i++) {
            sb.append("<figure style=\"margin:0;width:160px\"><img alt=\"")
                    .append(escape(captions.get(i)))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(pngs.get(i)))
                    .append("\"><figcaption>")
                    .append(escape(captions.get(i)))
                    .append("</figcaption></figure>");
        }
        parts.add(sb.append("</div>").toString());
        return this;
    }

    /**
     * Writes {@code report.html}.
     *
     * @param dir the run folder
     * @return the file
     * @throws IOException when it cannot be written
     */
    public Path write(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append(
                        "</title><style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
                                + "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;"
                                + "text-align:right}th{background:#f3f3f3}img{max-width:100%}figcaption{color:#555;font-size:90%}"
                                + "</style></head><body>\n<h1>")
                .append(escape(title))
                .append("</h1>\n");
        for (String p : parts) {
            sb.append(p).append('\n');
        }
        sb.append(
                "<p style=\"color:#888\">Written by dllab from this run's own measurements (run.json holds them for the labs).</p></body></html>\n");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("report.html"), sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Four decimals.
     *
     * @param v the value
     * @return text
     */
    public static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * A percentage with two decimals.
     *
     * @param fraction e.g. 0.9795
     * @return e.g. {@code 97.95 %}
     */
    public static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
