package org.dllab.labs.week11;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sentiment words mined from unlabelled text, as SKEP does (Tian et al., 2020, "SKEP: Sentiment
 * Knowledge Enhanced Pre-training"): a word's semantic orientation is the sum of its pointwise
 * mutual information with a few positive seed words minus the sum with a few negative ones,
 * co-occurrence counted per text. No labelled text is used; the seeds (a dozen words anyone would
 * name) are the only knowledge put in.
 *
 * @param polarity token id to +1 (positive) or -1 (negative), the seeds included
 * @param orientation token id to its orientation score, for the mined words kept (not the seeds)
 */
public record SentimentWords(Map<Long, Integer> polarity, Map<Long, Double> orientation) {

    /**
     * Mines the words.
     *
     * @param ids token ids of each text (padding and special tokens are skipped through {@code
     *     firstOrdinary} and the mask)
     * @param mask 1 for a real token
     * @param firstOrdinary the smallest id that is not a special token
     * @param positiveSeeds ids of positive seed words
     * @param negativeSeeds ids of negative seed words
     * @param candidate which ids may be mined (e.g. whole words of letters, not punctuation or
     *     numbers)
     * @param minTexts fewest texts a word must occur in (rare words give noisy mutual information)
     * @param perPolarity words kept at each end of the orientation scale
     * @return the words and their polarities
     */
    public static SentimentWords mine(
            long[][] ids,
            long[][] mask,
            long firstOrdinary,
            long[] positiveSeeds,
            long[] negativeSeeds,
            java.util.function.LongPredicate candidate,
            int minTexts,
            int perPolarity) {
        int n = ids.length;
        Map<Long, Integer> textsWith = new HashMap<>();
        List<Set<Long>> sets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Set<Long> s = new HashSet<>();
            for (int t = 0; t < ids[i].length; t++) {
                if (mask[i][t] == 1 && ids[i][t] >= firstOrdinary) {
                    s.add(ids[i][t]);
                }
            }
            sets.add(s);
            s.forEach(id -> textsWith.merge(id, 1, Integer::sum));
        }
        long[] seeds = concat(positiveSeeds, negativeSeeds);
        Map<Long, double[]> together = new HashMap<>(); // word -> texts shared with each seed
        for (Set<Long> s : sets) {
            for (int k = 0; k < seeds.length; k++) {
                if (s.contains(seeds[k])) {
                    for (long id : s) {
                        together.computeIfAbsent(id, x -> new double[seeds.length])[k]++;
                    }
                }
            }
        }
        Set<Long> seedSet = new HashSet<>();
        Arrays.stream(seeds).forEach(seedSet::add);
        Map<Long, Double> score = new HashMap<>();
        for (Map.Entry<Long, Integer> e : textsWith.entrySet()) {
            if (e.getValue() < minTexts
                    || seedSet.contains(e.getKey())
                    || !candidate.test(
                            e.getKey())) { // seeds are added with their own polarity below
                continue;
            }
            double[] co = together.getOrDefault(e.getKey(), new double[seeds.length]);
            double so = 0;
            for (int k = 0; k < seeds.length; k++) {
                int seedTexts = textsWith.getOrDefault(seeds[k], 0);
                if (seedTexts == 0) {
                    continue;
                }
                // PMI with half a count added, so that never seen together is a finite penalty
                double pmi = Math.log((co[k] + 0.5) * n / ((double) e.getValue() * seedTexts));
                so += k < positiveSeeds.length ? pmi : -pmi;
            }
            score.put(e.getKey(), so);
        }
        List<Map.Entry<Long, Double>> sorted = new ArrayList<>(score.entrySet());
        sorted.sort(Map.Entry.comparingByValue());
        Map<Long, Integer> polarity = new LinkedHashMap<>();
        Map<Long, Double> kept = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(perPolarity, sorted.size() / 2); i++) {
            Map.Entry<Long, Double> neg = sorted.get(i);
            Map.Entry<Long, Double> pos = sorted.get(sorted.size() - 1 - i);
            polarity.put(neg.getKey(), -1);
            kept.put(neg.getKey(), neg.getValue());
            polarity.put(pos.getKey(), 1);
            kept.put(pos.getKey(), pos.getValue());
        }
        Arrays.stream(positiveSeeds).forEach(id -> polarity.put(id, 1));
        Arrays.stream(negativeSeeds).forEach(id -> polarity.put(id, -1));
        return new SentimentWords(polarity, kept);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
