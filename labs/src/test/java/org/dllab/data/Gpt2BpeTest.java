package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2BpeTest {

    @TempDir Path dir;

    @Test
    void realGpt2TokenizerMatchesOpenAiIdsAndNeverTruncates() throws IOException {
        Path folder = TestData.require(DatasetCatalog.GPT2_BPE);
        try (HuggingFaceTokenizer tok = Gpt2Bpe.tokenizer(folder)) {
            assertArrayEquals(new long[] {15496, 995}, tok.encode("Hello world").getIds());
            assertArrayEquals(
                    new long[] {Gpt2Bpe.END_OF_TEXT},
                    tok.encode(Gpt2Bpe.END_OF_TEXT_TOKEN).getIds());
            String text = "To be, or not to be, that is the question. ".repeat(200);
            long[] ids = tok.encode(text).getIds();
            assertTrue(
                    ids.length > 1000, "a long text must not be cut at 512 tokens: " + ids.length);
            assertEquals(text, tok.decode(ids));
        }
    }

    @Test
    void tinyVocabularyBuildsAWorkingTokenizer() throws IOException {
        // bytes 'a','b' and the merge "a b" -> "ab"; the end-of-text id must be 50256 as in GPT-2
        Files.writeString(
                dir.resolve("encoder.json"),
                "{\"a\": 0, \"b\": 1, \"ab\": 2, \"<|endoftext|>\": 50256}");
        Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\na b\n");
        try (HuggingFaceTokenizer tok = Gpt2Bpe.tokenizer(dir)) {
            assertArrayEquals(new long[] {2, 0}, tok.encode("aba").getIds());
        }
    }

    @Test
    void malformedFilesAreErrorsNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("encoder.json"), "{\"a\": 0,");
        Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\na b\n");
        DatasetFormatException e =
                assertThrows(DatasetFormatException.class, () -> Gpt2Bpe.tokenizerJson(dir));
        assertTrue(e.getMessage().contains("encoder.json"), e.getMessage());
        Files.writeString(dir.resolve("encoder.json"), "{\"a\": 0, \"<|endoftext|>\": 50256}");
        Files.writeString(dir.resolve("vocab.bpe"), "#version: 0.2\na b c\n");
        e = assertThrows(DatasetFormatException.class, () -> Gpt2Bpe.tokenizerJson(dir));
        assertTrue(
                e.getMessage().contains("vocab.bpe") && e.getMessage().contains("line 2"),
                e.getMessage());
        Files.writeString(dir.resolve("encoder.json"), "{\"a\": 0}");
        assertThrows(DatasetFormatException.class, () -> Gpt2Bpe.tokenizerJson(dir));
    }
}
