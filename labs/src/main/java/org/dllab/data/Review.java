package org.dllab.data;

/**
 * One IMDb review.
 *
 * @param text the review text as published (contains {@code <br />} tags)
 * @param positive the sentiment label (from the folder name)
 * @param rating the star rating from the file name (1..10)
 * @param id the review id from the file name
 */
public record Review(String text, boolean positive, int rating, int id) {

    /**
     * The label as a class index.
     *
     * @return 1 for positive, 0 for negative
     */
    public int label() {
        return positive ? 1 : 0;
    }
}
