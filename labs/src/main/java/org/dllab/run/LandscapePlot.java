package org.dllab.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import javax.imageio.ImageIO;

/**
 * A 2-D function as a shaded contour map (log scale, level lines) with optimizer paths drawn on it:
 * the picture of week 4. Plain Java2D, written as PNG.
 */
public final class LandscapePlot {

    private static final Color[] PATH_COLORS = {
        new Color(0xE6, 0x19, 0x4B),
        new Color(0xFF, 0xE1, 0x19),
        new Color(0x42, 0xD4, 0xF4),
        new Color(0xF0, 0x32, 0xE6),
        new Color(0xFF, 0xFF, 0xFF),
        new Color(0xF5, 0x82, 0x31)
    };

    private LandscapePlot() {}

    /**
     * Draws the map and the paths.
     *
     * @param f the function
     * @param xMin left
     * @param xMax right
     * @param yMin bottom
     * @param yMax top
     * @param paths name to points {x, y}, in order
     * @param minimum where to draw the star (or null)
     * @param title the title
     * @param file the PNG
     * @throws IOException when it cannot be written
     */
    public static void write(
            DoubleBinaryOperator f,
            double xMin,
            double xMax,
            double yMin,
            double yMax,
            Map<String, List<double[]>> paths,
            double[] minimum,
            String title,
            Path file)
            throws IOException {
        int w = 800;
        int h = 600;
        int top = 40;
        BufferedImage img = new BufferedImage(w, h + top, BufferedImage.TYPE_INT_RGB);
        double[][] level = new double[h][w];
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                double x = xMin + (xMax - xMin) * px / (w - 1);
                double y = yMax - (yMax - yMin) * py / (h - 1);
                double v = Math.log10(1 + Math.max(0, f.applyAsDouble(x, y)));
                level[py][px] = v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        int bands = 14;
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                double t = (level[py][px] - lo) / Math.max(1e-12, hi - lo);
                int band = (int) Math.floor(t * bands);
                boolean edge =
                        px > 0
                                && py > 0
                                && (band
                                                != (int)
                                                        Math.floor(
                                                                (level[py][px - 1] - lo)
                                                                        / (hi - lo)
                                                                        * bands)
                                        || band
                                                != (int)
                                                        Math.floor(
                                                                (level[py - 1][px] - lo)
                                                                        / (hi - lo)
                                                                        * bands));
                img.setRGB(px, py + top, edge ? 0x303030 : colormap(t).getRGB());
            }
        }
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, top);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 10, 26);
        int i = 0;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        int legendWidth =
                40
                        + paths.keySet().stream()
                                .mapToInt(k -> g.getFontMetrics().stringWidth(k))
                                .max()
                                .orElse(0);
        g.setColor(new Color(0, 0, 0, 140));
        g.fillRect(w - legendWidth - 10, top + 6, legendWidth + 5, 22 * paths.size() + 8);
        for (Map.Entry<String, List<double[]>> e : paths.entrySet()) {
            Color c = PATH_COLORS[i % PATH_COLORS.length];
            g.setColor(c);
            // earlier paths drawn wider, so that paths lying on top of each other all stay visible
            g.setStroke(new BasicStroke(Math.max(1.5f, 2f * (paths.size() - i))));
            int[] prev = null;
            for (double[] p : e.getValue()) {
                int[] q = toPixel(p, xMin, xMax, yMin, yMax, w, h, top);
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], q[0], q[1]);
                }
                prev = q;
            }
            if (prev != null) {
                g.fillOval(prev[0] - 5, prev[1] - 5, 10, 10);
            }
            g.fillRect(w - legendWidth - 2, top + 12 + 22 * i, 18, 12);
            g.setColor(Color.WHITE);
            g.drawString(e.getKey(), w - legendWidth + 22, top + 24 + 22 * i);
            i++;
        }
        if (minimum != null) {
            int[] m = toPixel(minimum, xMin, xMax, yMin, yMax, w, h, top);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            g.drawString("*", m[0] - 6, m[1] + 9);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static int[] toPixel(
            double[] p, double xMin, double xMax, double yMin, double yMax, int w, int h, int top) {
        int px = (int) Math.round((p[0] - xMin) / (xMax - xMin) * (w - 1));
        int py = (int) Math.round((yMax - p[1]) / (yMax - yMin) * (h - 1)) + top;
        return new int[] {
            Math.max(-10, Math.min(w + 10, px)), Math.max(top - 10, Math.min(h + top + 10, py))
        };
    }

    /** Dark blue (low) to yellow (high), roughly viridis. */
    private static Color colormap(double t) {
        double[][] stops = {
            {0.27, 0.00, 0.33},
            {0.23, 0.32, 0.55},
            {0.13, 0.57, 0.55},
            {0.37, 0.79, 0.38},
            {0.99, 0.91, 0.14}
        };
        double s = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int k = Math.min(stops.length - 2, (int) s);
        double u = s - k;
        float[] rgb = new float[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (float) (stops[k][c] * (1 - u) + stops[k + 1][c] * u);
        }
        return new Color(rgb[0], rgb[1], rgb[2]);
    }
}
