package org.dllab.labs.week11;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * BERT's masking for the masked-language-model objective: of the real, non-special tokens of a
 * batch, 15 % are chosen; of those, 80 % become [MASK], 10 % a random token, 10 % stay as they are
 * (so the model cannot learn that only [MASK] needs predicting). The model is asked for the
 * original token at every chosen position.
 *
 * @param ids the corrupted ids, (B * S) row-major, a copy
 * @param positions the chosen flat positions (b * S + t)
 * @param targets the original ids at those positions
 */
public record MaskedTokens(long[] ids, long[] positions, long[] targets) {

    /** The fraction of eligible tokens chosen (BERT's). */
    public static final double RATE = 0.15;

    /**
     * Chooses and corrupts.
     *
     * @param ids (B * S) row-major token ids
     * @param mask (B * S), 1 for a real token
     * @param firstOrdinary the smallest id that is not a special token (specials are 0 ..
     *     firstOrdinary - 1)
     * @param maskId the [MASK] id
     * @param vocabularySize V: random replacements are drawn from firstOrdinary .. V - 1
     * @param random the source of randomness (seeded by the caller)
     * @return the corrupted copy, the positions and their targets; at least one position when any
     *     token is eligible
     */
    public static MaskedTokens choose(
            long[] ids,
            long[] mask,
            long firstOrdinary,
            long maskId,
            long vocabularySize,
            Random random) {
        return choose(
                ids, mask, firstOrdinary, maskId, vocabularySize, random, java.util.Set.of(), RATE);
    }

    /**
     * Chooses and corrupts, choosing some tokens more often: the tokens of {@code favoured} are
     * chosen at {@code favouredRate}, the others at {@link #RATE} (SKEP's sentiment masking when
     * {@code favoured} holds sentiment words: the model must then work out a review's sentiment
     * from the rest of it).
     *
     * @param ids (B * S) row-major token ids
     * @param mask (B * S), 1 for a real token
     * @param firstOrdinary the smallest id that is not a special token
     * @param maskId the [MASK] id
     * @param vocabularySize V
     * @param random the source of randomness
     * @param favoured ids chosen at {@code favouredRate}
     * @param favouredRate their chance of being chosen
     * @return the corrupted copy, the positions and their targets
     */
    public static MaskedTokens choose(
            long[] ids,
            long[] mask,
            long firstOrdinary,
            long maskId,
            long vocabularySize,
            Random random,
            java.util.Set<Long> favoured,
            double favouredRate) {
        long[] corrupted = ids.clone();
        List<Integer> chosen = new ArrayList<>();
        int firstEligible = -1;
        for (int i = 0; i < ids.length; i++) {
            if (mask[i] == 0 || ids[i] < firstOrdinary) {
                continue;
            }
            if (firstEligible < 0) {
                firstEligible = i;
            }
            if (random.nextDouble() < (favoured.contains(ids[i]) ? favouredRate : RATE)) {
                chosen.add(i);
            }
        }
        if (chosen.isEmpty() && firstEligible >= 0) {
            chosen.add(firstEligible); // a loss needs at least one target
        }
        long[] positions = new long[chosen.size()];
        long[] targets = new long[chosen.size()];
        for (int k = 0; k < positions.length; k++) {
            int i = chosen.get(k);
            positions[k] = i;
            targets[k] = ids[i];
            double r = random.nextDouble();
            if (r < 0.8) {
                corrupted[i] = maskId;
            } else if (r < 0.9) {
                corrupted[i] =
                        firstOrdinary
                                + (long) (random.nextDouble() * (vocabularySize - firstOrdinary));
            }
        }
        return new MaskedTokens(corrupted, positions, targets);
    }
}
