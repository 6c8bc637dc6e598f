package org.dllab.run;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds an installed font that can draw a text: Java's default fonts draw Chinese characters as
 * empty boxes on a machine whose default font lacks them. The families students' machines have are
 * tried first (Windows: Microsoft JhengHei / YaHei; macOS: PingFang; Linux: Noto Sans CJK,
 * WenQuanYi), then every installed family.
 */
public final class Fonts {

    /** Families with Chinese characters, Traditional-first (the course is taught in Taiwan). */
    static final List<String> PREFERRED =
            List.of(
                    "Microsoft JhengHei",
                    "PingFang TC",
                    "Noto Sans CJK TC",
                    "Noto Sans TC",
                    "Noto Sans CJK SC",
                    "Microsoft YaHei",
                    "PingFang SC",
                    "Heiti TC",
                    "WenQuanYi Micro Hei",
                    "WenQuanYi Zen Hei",
                    "Source Han Sans TW",
                    "AR PL UMing TW",
                    "Droid Sans Fallback");

    private Fonts() {}

    /**
     * A font that draws every character of {@code text}.
     *
     * @param text what must be drawn
     * @param style {@link Font#PLAIN}, {@link Font#BOLD}, ...
     * @param size the point size
     * @return the font; the logical {@code SansSerif} when it already can; empty when no installed
     *     font can
     */
    public static Optional<Font> displaying(String text, int style, int size) {
        Font logical = new Font(Font.SANS_SERIF, style, size);
        if (logical.canDisplayUpTo(text) == -1) {
            return Optional.of(logical);
        }
        List<String> families = new ArrayList<>(PREFERRED);
        families.addAll(
                List.of(
                        GraphicsEnvironment.getLocalGraphicsEnvironment()
                                .getAvailableFontFamilyNames())); // works headless
        for (String family : families) {
            Font f = new Font(family, style, size);
            if (f.getFamily().equals(family)
                    && f.canDisplayUpTo(text) == -1) { // an absent family falls back to Dialog
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
