package org.dllab.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A group's own images, one folder per class ({@code root/cat/*.jpg}, {@code root/dog/*.png}):
 * every readable JPEG, PNG, BMP or GIF, of any size, scaled to a square of the chosen side
 * (bilinear) as RGB or grey. A file that cannot be read as an image is skipped and listed with the
 * reason, never a crash; a class folder with no readable image is an error naming it. Class indices
 * follow the folders' names in sorted order.
 */
public final class ImageFolders {

    /** The file name endings read as images. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    /**
     * What was read.
     *
     * @param images the images and labels ({@link ImageSet}, channels first)
     * @param files each image's path relative to the root, in the same order
     * @param skipped each unreadable file with why, relative to the root
     */
    public record Loaded(ImageSet images, List<String> files, List<String> skipped) {

        /**
         * Per-class counts and the imbalance (largest class over smallest), for the report.
         *
         * @return e.g. {@code cat 120, dog 30 (imbalance 4.0 : 1)}
         */
        public String balance() {
            int[] counts = images.classCounts();
            StringBuilder b = new StringBuilder();
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int c = 0; c < images.classNames().size(); c++) {
                b.append(c == 0 ? "" : ", ")
                        .append(images.classNames().get(c))
                        .append(' ')
                        .append(counts[c]);
                min = Math.min(min, counts[c]);
                max = Math.max(max, counts[c]);
            }
            return b.append(
                            String.format(
                                    Locale.ROOT,
                                    " (imbalance %.1f : 1)",
                                    max / (double) Math.max(1, min)))
                    .toString();
        }
    }

    private ImageFolders() {}

    /**
     * Reads every class folder.
     *
     * @param root the folder holding one folder per class
     * @param side the side images are scaled to, e.g. 32 or 224
     * @param rgb three channels (true) or one grey channel
     * @return the images, the files and the skipped ones
     * @throws IOException when the root is not a folder of class folders, or a class has no
     *     readable image
     */
    public static Loaded read(Path root, int side, boolean rgb) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(
                    root.toAbsolutePath()
                            + " is not a folder: expected one folder per class, e.g. "
                            + root
                            + "/cat/001.jpg");
        }
        if (side < 1 || side > 1024) {
            throw new IllegalArgumentException("image side must be 1..1024, got " + side);
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs =
                    s.filter(
                                    p ->
                                            Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                                                    && !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList();
        }
        if (classDirs.size() < 2) {
            throw new IOException(
                    root.toAbsolutePath()
                            + " has "
                            + classDirs.size()
                            + " class folder(s): a classifier needs at least two (one folder per class)");
        }
        int channels = rgb ? 3 : 1;
        int imageBytes = channels * side * side;
        List<byte[]> pixels = new ArrayList<>();
        List<Byte> labels = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            Path dir = classDirs.get(c);
            names.add(dir.getFileName().toString());
            int before = files.size();
            List<Path> entries;
            try (Stream<Path> s = Files.walk(dir)) {
                entries =
                        s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                                .sorted()
                                .toList();
            }
            for (Path f : entries) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                String name = f.getFileName().toString();
                String ext =
                        name.contains(".")
                                ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)
                                : "";
                if (name.startsWith(".")) {
                    continue;
                }
                if (!EXTENSIONS.contains(ext)) {
                    skipped.add(
                            rel
                                    + ": not an image file name (."
                                    + ext
                                    + "; read: "
                                    + String.join(", ", EXTENSIONS)
                                    + ")");
                    continue;
                }
                BufferedImage img;
                try {
                    img = ImageIO.read(f.toFile());
                } catch (IOException | RuntimeException e) {
                    skipped.add(rel + ": unreadable (" + e.getMessage() + ")");
                    continue;
                }
                if (img == null || img.getWidth() < 1 || img.getHeight() < 1) {
                    skipped.add(rel + ": not a readable image");
                    continue;
                }
                pixels.add(toBytes(img, side, rgb, imageBytes));
                labels.add((byte) c);
                files.add(rel);
            }
            if (files.size() == before) {
                throw new IOException(
                        "class folder "
                                + dir.toAbsolutePath()
                                + " has no readable image ("
                                + String.join(", ", EXTENSIONS)
                                + ")");
            }
        }
        if (classDirs.size() > 256) {
            throw new IOException(classDirs.size() + " class folders: at most 256 classes");
        }
        byte[] all = new byte[pixels.size() * imageBytes];
        byte[] y = new byte[labels.size()];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, all, i * imageBytes, imageBytes);
            y[i] = labels.get(i);
        }
        return new Loaded(
                new ImageSet(all, y, channels, side, side, names),
                List.copyOf(files),
                List.copyOf(skipped));
    }

    /**
     * Reads a folder of unlabelled images (a competition's test set): every image file directly in
     * it, sorted by name; an image's id is its file name without the extension.
     *
     * @param dir the folder
     * @param side the side images are scaled to
     * @param rgb three channels or one
     * @return the images (every label 0, one class named {@code unlabelled}); {@link
     *     Loaded#files()} are the ids
     * @throws IOException when the folder holds no readable image
     */
    public static Loaded readUnlabelled(Path dir, int side, boolean rgb) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir.toAbsolutePath() + " is not a folder of test images");
        }
        int imageBytes = (rgb ? 3 : 1) * side * side;
        List<byte[]> pixels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries =
                    s.filter(
                                    p ->
                                            Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                                                    && !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList();
        }
        for (Path f : entries) {
            String name = f.getFileName().toString();
            String ext =
                    name.contains(".")
                            ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)
                            : "";
            BufferedImage img = null;
            try {
                img = EXTENSIONS.contains(ext) ? ImageIO.read(f.toFile()) : null;
            } catch (IOException | RuntimeException e) {
                skipped.add(name + ": unreadable (" + e.getMessage() + ")");
                continue;
            }
            if (img == null) {
                skipped.add(name + ": not a readable image");
                continue;
            }
            pixels.add(toBytes(img, side, rgb, imageBytes));
            ids.add(name.substring(0, name.lastIndexOf('.')));
        }
        if (pixels.isEmpty()) {
            throw new IOException(
                    dir.toAbsolutePath()
                            + " has no readable image ("
                            + String.join(", ", EXTENSIONS)
                            + ")");
        }
        byte[] all = new byte[pixels.size() * imageBytes];
        for (int i = 0; i < pixels.size(); i++) {
            System.arraycopy(pixels.get(i), 0, all, i * imageBytes, imageBytes);
        }
        return new Loaded(
                new ImageSet(
                        all,
                        new byte[pixels.size()],
                        rgb ? 3 : 1,
                        side,
                        side,
                        List.of("unlabelled")),
                List.copyOf(ids),
                List.copyOf(skipped));
    }

    /**
     * Scales to side x side and lays the pixels out channels first (R plane, G plane, B plane), as
     * CIFAR-10 does.
     */
    private static byte[] toBytes(BufferedImage img, int side, boolean rgb, int imageBytes) {
        BufferedImage scaled = img;
        if (img.getWidth() != side
                || img.getHeight() != side
                || img.getType() != BufferedImage.TYPE_INT_RGB) {
            scaled = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, side, side, null);
            g.dispose();
        }
        byte[] out = new byte[imageBytes];
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int argb = scaled.getRGB(x, y);
                int r = (argb >> 16) & 0xFF;
                int g = (argb >> 8) & 0xFF;
                int b = argb & 0xFF;
                if (rgb) {
                    out[y * side + x] = (byte) r;
                    out[plane + y * side + x] = (byte) g;
                    out[2 * plane + y * side + x] = (byte) b;
                } else {
                    out[y * side + x] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
                }
            }
        }
        return out;
    }
}
