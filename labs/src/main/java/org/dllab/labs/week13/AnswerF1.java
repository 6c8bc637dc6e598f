package org.dllab.labs.week13;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Word-overlap F1 between a generated answer and the reference answer, as SQuAD scores answers:
 * both are lower-cased, stripped of punctuation and split into words; precision is the share of the
 * answer's words found in the reference (each reference word used once), recall the share of the
 * reference's words found in the answer. A crude measure of content — it rewards the right words in
 * any order — but it needs no judge and is 0 for an empty answer.
 */
public final class AnswerF1 {

    private AnswerF1() {}

    /**
     * The F1 of one answer.
     *
     * @param answer the generated text
     * @param reference the reference answer
     * @return 0 to 1
     */
    public static double of(String answer, String reference) {
        List<String> a = words(answer);
        List<String> r = words(reference);
        if (a.isEmpty() || r.isEmpty()) {
            return a.isEmpty() && r.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> left = new HashMap<>();
        r.forEach(w -> left.merge(w, 1, Integer::sum));
        int common = 0;
        for (String w : a) {
            Integer n = left.get(w);
            if (n != null && n > 0) {
                common++;
                left.put(w, n - 1);
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = common / (double) a.size();
        double recall = common / (double) r.size();
        return 2 * precision * recall / (precision + recall);
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w :
                text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s]", " ").split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
