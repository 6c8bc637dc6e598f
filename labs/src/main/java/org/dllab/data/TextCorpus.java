package org.dllab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Plain-text corpora (Tiny Shakespeare and the like), read as strict UTF-8: a file with invalid
 * bytes is an error naming the file and the byte offset, never text with replacement characters.
 */
public final class TextCorpus {

    private TextCorpus() {}

    /**
     * Loads Tiny Shakespeare's {@code input.txt}.
     *
     * @param folder the dataset folder
     * @return the whole text
     * @throws IOException on a missing or invalid file
     */
    public static String loadTinyShakespeare(Path folder) throws IOException {
        return read(folder.resolve("input.txt"));
    }

    /**
     * Reads a UTF-8 text file strictly.
     *
     * @param file the file
     * @return its text
     * @throws IOException when missing or not valid UTF-8
     */
    public static String read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DatasetNotFoundException(file + ": file not found");
        }
        return decode(file, bytes);
    }

    /**
     * Reads the lines of a UTF-8 text file strictly.
     *
     * @param file the file
     * @return its lines
     * @throws IOException when missing or not valid UTF-8
     */
    public static List<String> readLines(Path file) throws IOException {
        return read(file).lines().toList();
    }

    /**
     * Decodes bytes as strict UTF-8.
     *
     * @param file the file they came from, for the message
     * @param bytes the bytes
     * @return the text
     * @throws DatasetFormatException at the first invalid byte
     */
    public static String decode(Path file, byte[] bytes) throws DatasetFormatException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(
                    file, "is not valid UTF-8 near byte " + buf.position(), "UTF-8 text");
        }
    }
}
