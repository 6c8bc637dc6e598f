package org.dllab.text;

import com.huaban.analysis.jieba.JiebaSegmenter;
import com.ibm.icu.text.Transliterator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chinese text into tokens, in two units: <b>words</b> from jieba (the segmenter of the course's
 * Python notebooks, through its Java port {@code com.huaban:jieba-analysis}: the same dictionary
 * and the same HMM for words not in it), or single <b>characters</b>.
 *
 * <p>Before either, {@link #normalize} makes the spellings of one text agree: Unicode NFKC
 * (full-width letters, digits and punctuation become their ASCII forms, so {@code ，} is {@code ,}),
 * <b>Traditional characters become Simplified</b> (ICU's {@code Traditional-Simplified} transform;
 * waimai_10k is Simplified, and a student in Taiwan types Traditional: {@code 這家外賣很快} is read as
 * {@code 这家外卖很快} and gets the same ids), Latin letters lower case, runs of white space one space.
 * Simplified text passes the transform unchanged. What is lost: the handful of characters whose
 * Simplified form merges two Traditional ones (髮 and 發 both become 发) read as one.
 *
 * <p>Why jieba over HanLP: the course's notebooks segment with jieba, so the words (and the
 * figures) compare; the Java port is one 2 MB jar whose dictionary is inside it, nothing to
 * download.
 */
public final class ChineseText {

    /** What one token is. */
    public enum Unit {
        /** jieba's accurate mode: {@code 我来到北京清华大学} → 我 / 来到 / 北京 / 清华大学. */
        WORDS,
        /** One character (code point) a token; white space dropped. */
        CHARACTERS
    }

    private static final Transliterator TO_SIMPLIFIED =
            Transliterator.getInstance("Traditional-Simplified");
    private static volatile JiebaSegmenter segmenter;

    private ChineseText() {}

    /**
     * The one spelling of a text that the tokenizers see: NFKC, Traditional → Simplified, lower
     * case, single spaces.
     *
     * @param raw the text
     * @return the normalised text, trimmed
     */
    public static String normalize(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        synchronized (TO_SIMPLIFIED) { // a Transliterator instance is not thread-safe
            s = TO_SIMPLIFIED.transliterate(s);
        }
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /**
     * The tokens of a text.
     *
     * @param raw the text, Simplified or Traditional
     * @param unit words or characters
     * @return the tokens of the normalised text, without white-space tokens
     */
    public static List<String> tokens(String raw, Unit unit) {
        String text = normalize(raw);
        List<String> out = new ArrayList<>();
        if (unit == Unit.CHARACTERS) {
            text.codePoints()
                    .filter(c -> !Character.isWhitespace(c))
                    .forEach(c -> out.add(new String(Character.toChars(c))));
            return out;
        }
        for (String w : jieba().sentenceProcess(text)) {
            if (!w.isBlank()) {
                out.add(w.strip());
            }
        }
        return out;
    }

    /** jieba, loaded once (about 2 s: a 350,000-word dictionary). */
    private static JiebaSegmenter jieba() {
        JiebaSegmenter s = segmenter;
        if (s == null) {
            synchronized (ChineseText.class) {
                s = segmenter;
                if (s == null) {
                    s = quietly();
                    segmenter = s;
                }
            }
        }
        return s;
    }

    /**
     * jieba prints its load times to System.out, which would break {@code --quiet}'s one
     * machine-readable line.
     */
    private static JiebaSegmenter quietly() {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            JiebaSegmenter s = new JiebaSegmenter();
            s.sentenceProcess("预热"); // the HMM model loads on first use
            return s;
        } finally {
            System.setOut(stdout);
        }
    }
}
