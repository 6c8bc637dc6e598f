package org.dllab.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a run, drawn with XChart (headless: no display needed). */
public final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /**
     * Writes {@code curves.png}: loss (train, test) and accuracy (train, test) per epoch, side by
     * side.
     *
     * @param epochs the metrics
     * @param title the run's title
     * @param file the PNG to write
     * @throws IOException when it cannot be written
     */
    public static void learningCurves(List<EpochMetrics> epochs, String title, Path file)
            throws IOException {
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        XYChart loss = chart(title + ": loss", "epoch", "cross-entropy");
        loss.addSeries("train", x, epochs.stream().mapToDouble(EpochMetrics::trainLoss).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("test", x, epochs.stream().mapToDouble(EpochMetrics::testLoss).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        XYChart acc = chart(title + ": accuracy", "epoch", "accuracy");
        acc.addSeries(
                        "train",
                        x,
                        epochs.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        acc.addSeries("test", x, epochs.stream().mapToDouble(EpochMetrics::testAccuracy).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        acc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(List.of(loss, acc), 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /**
     * A line chart with the course's common styling.
     *
     * @param title the title
     * @param xTitle x-axis title
     * @param yTitle y-axis title
     * @return the chart
     */
    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c =
                new XYChartBuilder()
                        .width(640)
                        .height(420)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setXAxisTickMarkSpacingHint(90); // fewer, readable tick labels
        c.getStyler().setXAxisDecimalPattern("#.##");
        return c;
    }
}
