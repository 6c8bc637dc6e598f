package org.dllab.run;

import ai.djl.ndarray.NDArray;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What a final project shows about its validation set and hands in for its test set: accuracy,
 * macro-F1, log-loss and one-vs-rest ROC-AUC from the predicted probabilities, per-class
 * precision/recall/F1, the confusion matrix and the most confident mistakes, as text ({@link
 * #text}) and as {@code report.html} with the training curves and the mistakes' images or texts
 * ({@link #writeHtml}); and the competition's {@code submission.csv} ({@link #submission}).
 */
public final class ClassificationReport {

    /**
     * Side of a mistake's thumbnail in report.html, in pixels: large enough to see what the image
     * shows.
     */
    static final int THUMBNAIL = 128;

    /**
     * One point of a training curve.
     *
     * @param x the epoch or step
     * @param trainLoss mean training loss there (NaN when not measured)
     * @param validationLoss validation log-loss
     * @param validationAccuracy validation accuracy
     */
    public record CurvePoint(
            double x, double trainLoss, double validationLoss, double validationAccuracy) {

        /**
         * Measures the validation predictions at one point of training.
         *
         * @param x the epoch or step
         * @param trainLoss the training loss there
         * @param probabilities the validation predictions, {@code [example][class]}
         * @param truth each validation example's class
         * @return the point (log-loss and accuracy of the predictions)
         */
        public static CurvePoint of(
                double x, double trainLoss, double[][] probabilities, int[] truth) {
            int right = 0;
            for (int i = 0; i < truth.length; i++) {
                right += argMax(probabilities[i]) == truth[i] ? 1 : 0;
            }
            return new CurvePoint(
                    x, trainLoss, LogLoss.of(probabilities, truth), right / (double) truth.length);
        }
    }

    private final List<String> classes;
    private final int[] truth;
    private final double[][] probabilities;
    private final int[] predicted;
    private final ClassMetrics metrics;
    private final List<Integer> mistakes;
    private IntFunction<String> name = Integer::toString;
    private IntFunction<String> text = i -> "";
    private IntFunction<Path> picture;

    private ClassificationReport(List<String> classes, int[] truth, double[][] probabilities) {
        if (truth.length != probabilities.length || truth.length == 0) {
            throw new IllegalArgumentException(
                    truth.length
                            + " labels for "
                            + probabilities.length
                            + " rows of probabilities (need the same, at least one)");
        }
        this.classes = List.copyOf(classes);
        this.truth = truth.clone();
        this.probabilities = probabilities;
        int k = classes.size();
        predicted = new int[truth.length];
        int[][] confusion = new int[k][k];
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            predicted[i] = argMax(probabilities[i]);
            confusion[truth[i]][predicted[i]]++;
            if (predicted[i] != truth[i]) {
                wrong.add(i);
            }
        }
        metrics = ClassMetrics.of(confusion);
        wrong.sort(
                Comparator.comparingDouble(
                        i -> -probabilities[i][predicted[i]])); // stable: ties keep their order
        mistakes = List.copyOf(wrong);
    }

    /**
     * Scores the predictions.
     *
     * @param classes the class names, in the probabilities' column order
     * @param truth each example's true class
     * @param probabilities {@code [example][class]}
     * @return the report
     */
    public static ClassificationReport of(
            List<String> classes, int[] truth, double[][] probabilities) {
        return new ClassificationReport(classes, truth, probabilities);
    }

    /**
     * How the mistakes are shown.
     *
     * @param name names example i (its id or file)
     * @param text example i's text, or "" for none (shortened in the text report)
     * @return this
     */
    public ClassificationReport describe(IntFunction<String> name, IntFunction<String> text) {
        this.name = name;
        this.text = text;
        return this;
    }

    /**
     * Shows each mistake's image in report.html.
     *
     * @param picture example i's image file (JPEG, PNG, ...)
     * @return this
     */
    public ClassificationReport pictures(IntFunction<Path> picture) {
        this.picture = picture;
        return this;
    }

    /**
     * The metrics.
     *
     * @return accuracy, macro-F1, per-class figures and the confusion matrix
     */
    public ClassMetrics metrics() {
        return metrics;
    }

    /**
     * Multi-class log-loss of the probabilities.
     *
     * @return the mean negative log-probability of the true class
     */
    public double logLoss() {
        return LogLoss.of(probabilities, truth);
    }

    /**
     * Mean one-vs-rest ROC-AUC.
     *
     * @return the AUC
     */
    public double rocAuc() {
        return RocAuc.oneVsRest(probabilities, truth);
    }

    /**
     * The validation report as text, one line per fact.
     *
     * @param shown how many of the most confident mistakes to list
     * @return the report
     */
    public String text(int shown) {
        int k = classes.size();
        StringBuilder report =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "validation: accuracy %.4f, macro-F1 %.4f, log-loss %.4f, ROC-AUC (one vs rest) %.4f%n",
                                metrics.accuracy(),
                                metrics.macroF1(),
                                logLoss(),
                                rocAuc()));
        for (int c = 0; c < k; c++) {
            report.append(
                    String.format(
                            Locale.ROOT,
                            "  %-12s precision %.3f  recall %.3f  F1 %.3f%n",
                            classes.get(c),
                            metrics.precision()[c],
                            metrics.recall()[c],
                            metrics.f1()[c]));
        }
        report.append("confusion (rows: true, columns: predicted) ").append(classes).append('\n');
        for (int c = 0; c < k; c++) {
            report.append(
                    String.format(
                            Locale.ROOT,
                            "  %-12s %s%n",
                            classes.get(c),
                            Arrays.toString(metrics.confusion()[c])));
        }
        report.append("most confident mistakes:\n");
        for (int i : mistakes.subList(0, Math.min(shown, mistakes.size()))) {
            String t = text.apply(i);
            report.append(
                    String.format(
                            Locale.ROOT,
                            "  %s: %s, predicted %s (p %.2f)%s%n",
                            name.apply(i),
                            classes.get(truth[i]),
                            classes.get(predicted[i]),
                            probabilities[i][predicted[i]],
                            t.isEmpty()
                                    ? ""
                                    : ": " + (t.length() > 100 ? t.substring(0, 100) + "..." : t)));
        }
        return report.toString();
    }

    /**
     * Writes {@code report.html} (and the {@code curves.png} and {@code confusion.png} it shows)
     * into a folder: the figures, the curves, per-class precision/recall/F1, the confusion matrix
     * and the most confident mistakes with their images (see {@link #pictures}) or texts. One
     * self-contained page, no network.
     *
     * @param dir the run folder
     * @param title the page's title
     * @param shown how many of the most confident mistakes to show
     * @param xLabel what the curve's x is ("epoch", "step")
     * @param curve the training curve, or an empty list
     * @return the page
     * @throws IOException when a file cannot be written
     */
    public Path writeHtml(Path dir, String title, int shown, String xLabel, List<CurvePoint> curve)
            throws IOException {
        Files.createDirectories(dir);
        HtmlReport html = new HtmlReport(title);
        html.paragraph(
                String.format(
                        Locale.ROOT,
                        "%d validation examples: accuracy %s, macro-F1 %.4f, log-loss %.4f, ROC-AUC (one vs rest) %.4f.",
                        truth.length,
                        HtmlReport.pct(metrics.accuracy()),
                        metrics.macroF1(),
                        logLoss(),
                        rocAuc()));
        if (!curve.isEmpty()) {
            html.heading("Training");
            Path png = dir.resolve("curves.png");
            curves(curve, xLabel, png);
            html.image(
                    "training loss and validation log-loss (left), validation accuracy (right), per "
                            + xLabel,
                    png);
        }
        html.heading("Per class");
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            int support = Arrays.stream(metrics.confusion()[c]).sum();
            rows.add(
                    List.of(
                            classes.get(c),
                            Integer.toString(support),
                            HtmlReport.f4(metrics.precision()[c]),
                            HtmlReport.f4(metrics.recall()[c]),
                            HtmlReport.f4(metrics.f1()[c])));
        }
        html.table(List.of("class", "examples", "precision", "recall", "F1"), rows);
        Path confusion = dir.resolve("confusion.png");
        Pictures.confusionMatrix(metrics.confusion(), classes, title + ": validation", confusion);
        html.image("confusion matrix (rows: true class, columns: predicted)", confusion);
        html.heading("Most confident mistakes (error analysis)");
        List<Integer> top = mistakes.subList(0, Math.min(shown, mistakes.size()));
        if (top.isEmpty()) {
            html.paragraph("No mistakes on the validation set.");
        } else if (picture != null) {
            List<String> captions = new ArrayList<>();
            List<byte[]> pngs = new ArrayList<>();
            for (int i : top) {
                captions.add(
                        String.format(
                                Locale.ROOT,
                                "%s: %s, predicted %s (p %.2f)",
                                name.apply(i),
                                classes.get(truth[i]),
                                classes.get(predicted[i]),
                                probabilities[i][predicted[i]]));
                pngs.add(thumbnail(picture.apply(i)));
            }
            html.figures(captions, pngs);
        } else {
            List<List<String>> wrong = new ArrayList<>();
            for (int i : top) {
                wrong.add(
                        List.of(
                                name.apply(i),
                                classes.get(truth[i]),
                                classes.get(predicted[i]),
                                String.format(Locale.ROOT, "%.2f", probabilities[i][predicted[i]]),
                                text.apply(i)));
            }
            html.table(List.of("id", "true", "predicted", "p", "text"), wrong);
        }
        return html.write(dir);
    }

    /** Loss curves (training, validation) and validation accuracy, side by side. */
    private static void curves(List<CurvePoint> curve, String xLabel, Path file)
            throws IOException {
        double[] x = curve.stream().mapToDouble(CurvePoint::x).toArray();
        XYChart loss = Plots.chart("loss", xLabel, "cross-entropy");
        if (curve.stream().anyMatch(p -> !Double.isNaN(p.trainLoss()))) {
            loss.addSeries("train", x, curve.stream().mapToDouble(CurvePoint::trainLoss).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        loss.addSeries(
                        "validation",
                        x,
                        curve.stream().mapToDouble(CurvePoint::validationLoss).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        XYChart accuracy = Plots.chart("validation accuracy", xLabel, "accuracy");
        accuracy.addSeries(
                        "validation",
                        x,
                        curve.stream().mapToDouble(CurvePoint::validationAccuracy).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        accuracy.getStyler()
                .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(
                    List.of(loss, accuracy), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /**
     * The image scaled to fit {@link #THUMBNAIL} pixels, as PNG; a picture that cannot be read is a
     * grey square.
     */
    static byte[] thumbnail(Path file) throws IOException {
        BufferedImage source = null;
        try {
            source = ImageIO.read(file.toFile());
        } catch (IOException e) {
            source = null; // shown as a grey square: the report still has the mistake's name and
            // figures
        }
        int w = source == null ? THUMBNAIL : source.getWidth();
        int h = source == null ? THUMBNAIL : source.getHeight();
        double scale = THUMBNAIL / (double) Math.max(w, h);
        BufferedImage out =
                new BufferedImage(
                        Math.max(1, (int) Math.round(w * scale)),
                        Math.max(1, (int) Math.round(h * scale)),
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.LIGHT_GRAY);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        if (source != null) {
            // small images (CIFAR's 32 px) are enlarged with visible pixels, large ones smoothed
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    scale > 1
                            ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                            : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(source, 0, 0, out.getWidth(), out.getHeight(), null);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }

    /**
     * A competition submission of class probabilities.
     *
     * @param classes the class names (the header's columns after {@code id})
     * @param ids each test example's id
     * @param probabilities {@code [example][class]}
     * @return the CSV text
     */
    public static String submission(
            List<String> classes, List<String> ids, double[][] probabilities) {
        StringBuilder csv = new StringBuilder("id," + String.join(",", classes) + "\n");
        for (int i = 0; i < ids.size(); i++) {
            csv.append(ids.get(i));
            for (double v : probabilities[i]) {
                csv.append(String.format(Locale.ROOT, ",%.6f", v));
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /**
     * Softmax of a batch of scores, one row of class probabilities per example (what {@link #of}
     * and {@link #submission} take).
     *
     * @param logits (examples, classes); not changed
     * @return {@code [example][class]}
     */
    public static double[][] softmaxRows(NDArray logits) {
        try (NDArray p = logits.softmax(1)) {
            int k = (int) p.getShape().get(1);
            float[] flat = p.toFloatArray();
            double[][] out = new double[flat.length / k][k];
            for (int i = 0; i < out.length; i++) {
                for (int c = 0; c < k; c++) {
                    out[i][c] = flat[i * k + c];
                }
            }
            return out;
        }
    }

    /**
     * The index of the largest value (the first on ties).
     *
     * @param v the values
     * @return its index
     */
    public static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }
}
