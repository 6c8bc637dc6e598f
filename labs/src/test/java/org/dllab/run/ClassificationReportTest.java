package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The final project's validation report and submission, on a case worked out by hand. */
class ClassificationReportTest {

    static final double[][] P = {
        {0.7, 0.2, 0.1},
        {0.1, 0.6, 0.3},
        {0.2, 0.2, 0.6},
        {0.5, 0.4, 0.1},
        {0.3, 0.3, 0.4},
        {0.25, 0.5, 0.25},
        {0.1, 0.1, 0.8},
        {0.6, 0.3, 0.1}
    };
    static final int[] Y = {0, 1, 2, 1, 2, 0, 2, 0};

    @TempDir Path tmp;

    @Test
    void reportAndSubmissionOfAWorkedExample() {
        String r =
                ClassificationReport.of(List.of("a", "b", "c"), Y, P)
                        .describe(i -> "x" + i, i -> i == 5 ? "a <b> text" : "")
                        .text(2);
        // predictions 0,1,2,0,2,1,2,0: 6 of 8 right; F1 a = 4/6, b = 1/2, c = 1; log-loss and AUC
        // as in RocAucAndLogLossTest
        assertTrue(
                r.startsWith(
                        "validation: accuracy 0.7500, macro-F1 0.7222, log-loss 0.6664, ROC-AUC (one vs rest) 0.9278\n"),
                r);
        assertTrue(
                r.contains("  a            [2, 1, 0]\n")
                        && r.contains("  b            [1, 1, 0]\n")
                        && r.contains("  c            [0, 0, 3]\n"),
                r);
        // the two mistakes, most confident first: x3 (b predicted a, 0.50) and x5 (a predicted b,
        // 0.50): ties keep order
        assertTrue(
                r.endsWith(
                        "most confident mistakes:\n  x3: b, predicted a (p 0.50)\n  x5: a, predicted b (p 0.50): a <b> text\n"),
                r);
        assertEquals(
                "id,a,b\nt1,0.250000,0.750000\n",
                ClassificationReport.submission(
                        List.of("a", "b"), List.of("t1"), new double[][] {{0.25, 0.75}}));
    }

    @Test
    void htmlShowsCurvesTablesAndTheMistakesTextsEscaped() throws Exception {
        List<ClassificationReport.CurvePoint> curve =
                List.of(
                        new ClassificationReport.CurvePoint(1, 1.0, 0.9, 0.5),
                        new ClassificationReport.CurvePoint(2, 0.6, 0.7, 0.75));
        Path page =
                ClassificationReport.of(List.of("a", "b", "c"), Y, P)
                        .describe(i -> "x" + i, i -> i == 5 ? "a <b> text" : "")
                        .writeHtml(tmp, "demo", 5, "epoch", curve);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(
                html.contains(
                        "8 validation examples: accuracy 75.00 %, macro-F1 0.7222, log-loss 0.6664"),
                html);
        assertTrue(
                html.contains("<td>a</td><td>3</td><td>0.6667</td><td>0.6667</td><td>0.6667</td>"),
                html); // a: 2 of 3 right, 3 predicted a
        assertTrue(
                html.contains(
                        "<td>x5</td><td>a</td><td>b</td><td>0.50</td><td>a &lt;b&gt; text</td>"),
                html);
        assertTrue(
                Files.size(tmp.resolve("curves.png")) > 1000
                        && Files.size(tmp.resolve("confusion.png")) > 1000);
        assertEquals(
                2,
                html.split("data:image/png;base64,", -1).length - 1,
                "curves and confusion embedded");
    }

    @Test
    void imageMistakesAreEmbeddedAsThumbnailsAndAnUnreadableOneIsGrey() throws Exception {
        BufferedImage red = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics g = red.getGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 32, 16);
        g.dispose();
        Path good = tmp.resolve("good.png");
        ImageIO.write(red, "png", good.toFile());
        Path broken = Files.writeString(tmp.resolve("broken.jpg"), "not an image");
        BufferedImage thumb =
                ImageIO.read(new ByteArrayInputStream(ClassificationReport.thumbnail(good)));
        assertEquals(ClassificationReport.THUMBNAIL, thumb.getWidth());
        assertEquals(ClassificationReport.THUMBNAIL / 2, thumb.getHeight()); // aspect kept
        assertEquals(
                ClassificationReport.THUMBNAIL,
                ImageIO.read(new ByteArrayInputStream(ClassificationReport.thumbnail(broken)))
                        .getWidth());
        String html =
                Files.readString(
                        ClassificationReport.of(List.of("a", "b", "c"), Y, P)
                                .describe(i -> "img" + i, i -> "")
                                .pictures(i -> i == 3 ? good : broken)
                                .writeHtml(tmp.resolve("run"), "images", 5, "epoch", List.of()),
                        StandardCharsets.UTF_8);
        assertTrue(html.contains("<figcaption>img3: b, predicted a (p 0.50)</figcaption>"), html);
        assertTrue(html.contains("<figcaption>img5: a, predicted b (p 0.50)</figcaption>"), html);
        assertEquals(
                3,
                html.split("data:image/png;base64,", -1).length - 1,
                "confusion and two thumbnails, no curves");
    }
}
