package org.dllab.grading.exam;

import java.util.List;

/**
 * One place in the master where a paper may carry a mistake.
 *
 * @param id e.g. {@code loss-softmax}; the graded check names it in its {@code blanks}
 * @param file the source file's name
 * @param line the {@code // BUG} line (1-based)
 * @param english what the mistake is and what finding it teaches
 * @param chinese the same in Traditional Chinese
 * @param correct the master's lines
 * @param variants the buggy versions, at least one
 */
public record BugSlot(
        String id,
        String file,
        int line,
        String english,
        String chinese,
        List<String> correct,
        List<Variant> variants) {

    /**
     * A buggy version of a slot.
     *
     * @param id e.g. {@code double-softmax}
     * @param note one line for the instructor's key
     * @param lines the code that replaces the master's lines
     */
    public record Variant(String id, String note, List<String> lines) {}

    /** Copies the lists. */
    public BugSlot {
        correct = List.copyOf(correct);
        variants = List.copyOf(variants);
    }

    /**
     * A variant by id.
     *
     * @param variantId its id
     * @return the variant
     * @throws IllegalArgumentException when the slot has none of that id
     */
    public Variant variant(String variantId) {
        return variants.stream()
                .filter(v -> v.id().equals(variantId))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "slot " + id + " has no variant '" + variantId + "'"));
    }
}
