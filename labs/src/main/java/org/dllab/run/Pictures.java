package org.dllab.run;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.dllab.data.ImageSet;

/**
 * Pictures of what a classifier did: confusion matrix, labelled test images, first-layer filters
 * (Java2D, PNG).
 */
public final class Pictures {

    private Pictures() {}

    /**
     * A confusion matrix: row = true class, column = predicted class, shade = fraction of the row.
     *
     * @param counts counts[true][predicted]
     * @param classes class names
     * @param title the title
     * @param file the PNG
     * @throws IOException on write failure
     */
    public static void confusionMatrix(
            int[][] counts, List<String> classes, String title, Path file) throws IOException {
        int k = counts.length;
        int cell = 52;
        int left = 110;
        int top = 70;
        BufferedImage img =
                new BufferedImage(
                        left + k * cell + 20, top + k * cell + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img, title);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < k; r++) {
            int rowTotal = 0;
            for (int c = 0; c < k; c++) {
                rowTotal += counts[r][c];
            }
            g.setColor(Color.BLACK);
            g.drawString(classes.get(r), 8, top + r * cell + cell / 2 + 4);
            for (int c = 0; c < k; c++) {
                double frac = rowTotal == 0 ? 0 : counts[r][c] / (double) rowTotal;
                int shade = (int) Math.round(255 * (1 - frac));
                g.setColor(
                        r == c
                                ? new Color(shade, 255 - (255 - shade) / 3, shade)
                                : new Color(255, shade, shade));
                g.fillRect(left + c * cell, top + r * cell, cell - 1, cell - 1);
                g.setColor(frac > 0.5 ? Color.WHITE : Color.BLACK);
                String n = Integer.toString(counts[r][c]);
                g.drawString(
                        n,
                        left + c * cell + cell / 2 - g.getFontMetrics().stringWidth(n) / 2,
                        top + r * cell + cell / 2 + 4);
            }
        }
        g.setColor(Color.BLACK);
        for (int c = 0; c < k; c++) {
            String name = classes.get(c);
            String shortName = name.length() > 7 ? name.substring(0, 7) : name;
            g.drawString(shortName, left + c * cell + 2, top - 6);
        }
        g.drawString("rows: true class, columns: predicted", left, top + k * cell + 25);
        finish(g, img, file);
    }

    /**
     * Test images with "predicted (true)" under each, green when right and red when wrong.
     *
     * @param images the images (3 channels or 1)
     * @param predicted one prediction per image
     * @param columns images per row
     * @param scale pixel magnification
     * @param title the title
     * @param file the PNG
     * @throws IOException on write failure
     */
    public static void labelledGrid(
            ImageSet images, int[] predicted, int columns, int scale, String title, Path file)
            throws IOException {
        int n = images.size();
        int w = images.width() * scale;
        int h = images.height() * scale;
        int cellW = Math.max(w, 96) + 8;
        int cellH = h + 34;
        int rows = (n + columns - 1) / columns;
        BufferedImage img =
                new BufferedImage(
                        columns * cellW + 8, 40 + rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img, title);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < n; i++) {
            int x0 = 8 + (i % columns) * cellW;
            int y0 = 40 + (i / columns) * cellH;
            g.drawImage(toImage(images, i, scale), x0, y0, null);
            boolean right = predicted[i] == images.label(i);
            g.setColor(right ? new Color(0, 120, 0) : new Color(200, 0, 0));
            g.drawString(
                    images.classNames().get(predicted[i])
                            + (right ? "" : " (" + images.classNames().get(images.label(i)) + ")"),
                    x0,
                    y0 + h + 14);
        }
        finish(g, img, file);
    }

    /**
     * First-layer convolution filters as small RGB (or grey) tiles, each scaled to its own
     * min..max.
     *
     * @param weights (filters, channels, k, k) flattened
     * @param filters number of filters
     * @param channels input channels (3 shows colour)
     * @param k kernel size
     * @param title the title
     * @param file the PNG
     * @throws IOException on write failure
     */
    public static void filters(
            float[] weights, int filters, int channels, int k, String title, Path file)
            throws IOException {
        int scale = 12;
        int columns = 8;
        int tile = k * scale + 6;
        int rows = (filters + columns - 1) / columns;
        BufferedImage img =
                new BufferedImage(
                        Math.max(columns * tile + 8, 360),
                        40 + rows * tile,
                        BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img, title);
        int per = channels * k * k;
        for (int f = 0; f < filters; f++) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (int j = 0; j < per; j++) {
                min = Math.min(min, weights[f * per + j]);
                max = Math.max(max, weights[f * per + j]);
            }
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    int[] rgb = new int[3];
                    for (int c = 0; c < 3; c++) {
                        int ch = channels == 3 ? c : 0;
                        float v = weights[f * per + ch * k * k + y * k + x];
                        rgb[c] = (int) (255 * (v - min) / Math.max(1e-8f, max - min));
                    }
                    g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
                    g.fillRect(
                            8 + (f % columns) * tile + x * scale,
                            40 + (f / columns) * tile + y * scale,
                            scale,
                            scale);
                }
            }
        }
        finish(g, img, file);
    }

    private static BufferedImage toImage(ImageSet set, int index, int scale) {
        int w = set.width();
        int h = set.height();
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        int base = index * set.imageBytes();
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int p = (y / scale) * w + x / scale;
                int r = set.pixels()[base + p] & 0xFF;
                int gr = set.channels() == 3 ? set.pixels()[base + w * h + p] & 0xFF : r;
                int b = set.channels() == 3 ? set.pixels()[base + 2 * w * h + p] & 0xFF : r;
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }

    private static Graphics2D start(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 8, 24);
        return g;
    }

    private static void finish(Graphics2D g, BufferedImage img, Path file) throws IOException {
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }
}
