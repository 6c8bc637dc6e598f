package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group's own image folders, made here from the course's CIFAR-10 subset exported to PNG (and
 * some bad files).
 */
class ImageFoldersTest {

    @TempDir Path tmp;

    @Test
    void pngFoldersReadBackToTheSamePixelsAndBadFilesAreListed() throws Exception {
        ImageSet cifar =
                CifarBinary.load(TestData.require(DatasetCatalog.CIFAR10), Split.TEST).limit(60);
        Path root = tmp.resolve("images");
        int[] written = new int[10];
        for (int i = 0; i < cifar.size(); i++) {
            String cls = cifar.classNames().get(cifar.label(i));
            Path f = root.resolve(cls).resolve(String.format("%03d.png", i));
            Files.createDirectories(f.getParent());
            ImageIO.write(toImage(cifar, i), "png", f.toFile());
            written[cifar.label(i)]++;
        }
        Files.write(
                root.resolve("cat/broken.jpg"),
                new byte[] {1, 2, 3, 4}); // a JPEG name, not an image
        Files.writeString(root.resolve("dog/notes.txt"), "not an image");
        BufferedImage big =
                new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB); // another size: scaled
        ImageIO.write(big, "jpg", root.resolve("ship/large.jpg").toFile());

        ImageFolders.Loaded loaded = ImageFolders.read(root, 32, true);
        List<String> present =
                Arrays.stream(CifarBinary.CLASSES.toArray(String[]::new))
                        .filter(c -> Files.isDirectory(root.resolve(c)))
                        .sorted()
                        .toList();
        assertEquals(present, loaded.images().classNames(), "classes are the folder names, sorted");
        assertEquals(cifar.size() + 1, loaded.images().size());
        assertEquals(
                List.of(
                        "cat/broken.jpg: not a readable image",
                        "dog/notes.txt: not an image file name (.txt; read: "
                                + String.join(", ", ImageFolders.EXTENSIONS)
                                + ")"),
                loaded.skipped());
        for (int i = 0; i < loaded.images().size(); i++) {
            String file = loaded.files().get(i);
            if (file.endsWith("large.jpg")) {
                continue;
            }
            int original =
                    Integer.parseInt(file.substring(file.indexOf('/') + 1, file.indexOf('.')));
            byte[] want =
                    Arrays.copyOfRange(cifar.pixels(), original * 3072, original * 3072 + 3072);
            byte[] got = Arrays.copyOfRange(loaded.images().pixels(), i * 3072, i * 3072 + 3072);
            assertArrayEquals(
                    want, got, file + ": PNG is lossless, the pixels must come back as they were");
            assertEquals(
                    cifar.classNames().get(cifar.label(original)),
                    loaded.images().classNames().get(loaded.images().label(i)),
                    file);
        }
        assertTrue(loaded.balance().contains("imbalance"), loaded.balance());
        ImageFolders.Loaded grey = ImageFolders.read(root, 16, false);
        assertEquals(1, grey.images().channels());
        assertEquals(16, grey.images().height());
    }

    @Test
    void foldersThatCannotWorkAreRefusedWithTheirName() throws Exception {
        assertTrue(
                assertThrows(
                                java.io.IOException.class,
                                () -> ImageFolders.read(tmp.resolve("nope"), 32, true))
                        .getMessage()
                        .contains("is not a folder"));
        Files.createDirectories(tmp.resolve("one/cat"));
        assertTrue(
                assertThrows(
                                java.io.IOException.class,
                                () -> ImageFolders.read(tmp.resolve("one"), 32, true))
                        .getMessage()
                        .contains("at least two"));
        Files.createDirectories(tmp.resolve("one/dog"));
        ImageIO.write(
                new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
                "png",
                tmp.resolve("one/dog/a.png").toFile());
        String msg =
                assertThrows(
                                java.io.IOException.class,
                                () -> ImageFolders.read(tmp.resolve("one"), 32, true))
                        .getMessage();
        assertTrue(msg.contains("cat") && msg.contains("no readable image"), msg);
    }

    @Test
    void stratifiedSplitKeepsEachClassShare() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            labels[i] = i < 80 ? 0 : i < 95 ? 1 : 2; // 80 / 15 / 5
        }
        int[][] parts = StratifiedSplit.split(labels, 0.2, 7);
        int[] held = new int[3];
        for (int i : parts[1]) {
            held[labels[i]]++;
        }
        assertArrayEquals(new int[] {16, 3, 1}, held, "20 % of each class, rounded");
        assertEquals(100, parts[0].length + parts[1].length);
        assertArrayEquals(parts[1], StratifiedSplit.split(labels, 0.2, 7)[1], "seeded");
        assertTrue(
                Arrays.stream(parts[0])
                        .noneMatch(i -> Arrays.stream(parts[1]).anyMatch(j -> j == i)),
                "disjoint");
    }

    private static BufferedImage toImage(ImageSet set, int i) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        byte[] p = set.pixels();
        int base = i * 3072;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int r = p[base + y * 32 + x] & 0xFF;
                int g = p[base + 1024 + y * 32 + x] & 0xFF;
                int b = p[base + 2048 + y * 32 + x] & 0xFF;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }
}
