package org.dllab.data;

/**
 * One labelled review: IMDb ({@link ImdbReviews}) or waimai_10k ({@link WaimaiReviews}).
 *
 * @param text the review text as published (IMDb's contains {@code <br />} tags)
 * @param positive the sentiment label (IMDb: the folder name; waimai: the label column)
 * @param rating IMDb's star rating from the file name (1..10); 0 where the source has none (waimai)
 * @param id IMDb's review id from the file name; waimai's line number in the CSV file
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
