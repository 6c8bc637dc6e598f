package org.dllab.data;

/** Which official part of a dataset. */
public enum Split {
    /** The official training part. */
    TRAIN,
    /** The official test part; never used for model selection. */
    TEST
}
