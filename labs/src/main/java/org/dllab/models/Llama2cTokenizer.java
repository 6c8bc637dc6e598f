package org.dllab.models;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dllab.data.DatasetFormatException;

/**
 * llama2.c's tokenizer ({@code tok512.bin}, {@code tokenizer.bin}): sentencepiece-style pieces with
 * merge scores, a space written as a space (not {@code ▁}), {@code <0xNN>} pieces for raw bytes.
 * Encoding is llama2.c's: a leading space, one piece per UTF-8 character (bytes when a character
 * has none), then the best-scoring adjacent pair merged until none is in the vocabulary.
 */
public final class Llama2cTokenizer {

    /** Beginning of sequence. */
    public static final int BOS = 1;

    /** End of sequence. */
    public static final int EOS = 2;

    /** The first of 256 byte pieces {@code <0x00>..<0xFF>}. */
    static final int FIRST_BYTE = 3;

    private final String[] pieces;
    private final byte[][] bytes;
    private final float[] scores;
    private final Map<String, Integer> ids = new HashMap<>();

    private Llama2cTokenizer(String[] pieces, byte[][] bytes, float[] scores) {
        this.pieces = pieces;
        this.bytes = bytes;
        this.scores = scores;
        for (int i = 0; i < pieces.length; i++) {
            ids.putIfAbsent(pieces[i], i);
        }
    }

    /**
     * Reads a tokenizer file.
     *
     * @param file the .bin file
     * @param vocabSize the model's vocabulary size (the file does not say)
     * @return the tokenizer
     * @throws IOException when the file is short or a length is impossible (the message names the
     *     token)
     */
    public static Llama2cTokenizer read(Path file, int vocabSize) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String[] pieces = new String[vocabSize];
        byte[][] raw = new byte[vocabSize][];
        float[] scores = new float[vocabSize];
        if (b.remaining() < 4) {
            throw new DatasetFormatException(
                    file, "is shorter than its 4-byte header", "a llama2.c tokenizer.bin");
        }
        int maxLength = b.getInt();
        for (int i = 0; i < vocabSize; i++) {
            if (b.remaining() < 8) {
                throw new DatasetFormatException(
                        file,
                        "ends at token " + i + " of " + vocabSize,
                        "score, length and bytes for every token");
            }
            scores[i] = b.getFloat();
            int len = b.getInt();
            if (len < 0 || len > maxLength || len > b.remaining()) {
                throw new DatasetFormatException(
                        file,
                        "gives token " + i + " the length " + len,
                        "0.." + Math.min(maxLength, b.remaining()));
            }
            raw[i] = new byte[len];
            b.get(raw[i]);
            pieces[i] = new String(raw[i], StandardCharsets.UTF_8);
        }
        return new Llama2cTokenizer(pieces, raw, scores);
    }

    /**
     * Entries.
     *
     * @return the vocabulary size
     */
    public int size() {
        return pieces.length;
    }

    /**
     * The piece of one token as llama2.c prints it after {@code previous}: the space after BOS
     * dropped, byte pieces as their byte.
     *
     * @param previous the token before
     * @param token the token
     * @return its bytes
     */
    public byte[] piece(int previous, int token) {
        byte[] p = bytes[token];
        if (previous == BOS && p.length > 0 && p[0] == ' ') {
            return java.util.Arrays.copyOfRange(p, 1, p.length);
        }
        String s = pieces[token];
        if (s.length() == 6 && s.startsWith("<0x") && s.endsWith(">")) {
            return new byte[] {(byte) Integer.parseInt(s.substring(3, 5), 16)};
        }
        return p;
    }

    /**
     * Decodes tokens (BOS and EOS print nothing).
     *
     * @param tokens the tokens, usually starting with BOS
     * @return the text
     */
    public String decode(long[] tokens) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < tokens.length; i++) {
            int t = (int) tokens[i];
            if (t == BOS || t == EOS) {
                continue;
            }
            out.writeBytes(piece(i == 0 ? -1 : (int) tokens[i - 1], t));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Encodes a text as llama2.c does.
     *
     * @param text the text
     * @param bos start with BOS
     * @param eos end with EOS
     * @return the tokens
     */
    public long[] encode(String text, boolean bos, boolean eos) {
        List<Integer> t = new ArrayList<>();
        if (bos) {
            t.add(BOS);
        }
        int first = t.size();
        if (!text.isEmpty()) {
            Integer space = ids.get(" ");
            if (space != null) {
                t.add(space); // sentencepiece's dummy prefix
            }
        }
        text.codePoints()
                .forEach(
                        cp -> {
                            String ch = new String(Character.toChars(cp));
                            Integer id = ids.get(ch);
                            if (id != null) {
                                t.add(id);
                            } else {
                                for (byte x : ch.getBytes(StandardCharsets.UTF_8)) {
                                    t.add((x & 0xff) + FIRST_BYTE);
                                }
                            }
                        });
        while (true) { // merge the best-scoring pair until no pair is a piece
            float best = Float.NEGATIVE_INFINITY;
            int at = -1;
            int merged = -1;
            for (int i = first; i + 1 < t.size(); i++) {
                Integer id = ids.get(pieces[t.get(i)] + pieces[t.get(i + 1)]);
                if (id != null && scores[id] > best) {
                    best = scores[id];
                    at = i;
                    merged = id;
                }
            }
            if (at < 0) {
                break;
            }
            t.set(at, merged);
            t.remove(at + 1);
        }
        if (eos) {
            t.add(EOS);
        }
        return t.stream().mapToLong(Integer::longValue).toArray();
    }
}
