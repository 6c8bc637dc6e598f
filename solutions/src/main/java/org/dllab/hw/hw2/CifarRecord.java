package org.dllab.hw.hw2;

/**
 * One CIFAR-10 image: a label 0..9 and 3 x 32 x 32 pixel values in [0, 1], channel-first (all red, then all
 * green, then all blue; each plane row-major).
 *
 * @param label the class
 * @param pixels 3072 values in [0, 1]
 */
public record CifarRecord(int label, float[] pixels) {

    /** Bytes in one record of the official binary files: 1 label byte + 3072 pixel bytes. */
    public static final int BYTES = 1 + 3 * 32 * 32;

    /**
     * Decodes the record that starts at {@code offset} of {@code data}.
     *
     * @param data the bytes of a batch file
     * @param offset where the record starts
     * @return the record
     */
    public static CifarRecord decode(byte[] data, int offset) {
        // BEGIN SOLUTION 第一個位元組是類別，接著 3072 個像素位元組（R、G、B 平面），轉成 0..1 的 float；注意 byte 是有號的 | the first byte is the label, then 3072 pixel bytes (R, G, B planes) scaled to 0..1 floats; mind that Java bytes are signed
        int label = data[offset] & 0xFF;
        float[] pixels = new float[BYTES - 1];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (data[offset + 1 + i] & 0xFF) / 255f;
        }
        return new CifarRecord(label, pixels);
        // END SOLUTION
    }
}
