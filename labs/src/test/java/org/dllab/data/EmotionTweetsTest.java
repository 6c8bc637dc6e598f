package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dllab.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmotionTweetsTest {

    @TempDir Path dir;

    @Test
    void realFilesHaveTheOfficialCounts() throws IOException {
        Path folder = TestData.require(DatasetCatalog.EMOTION);
        List<EmotionTweets.Tweet> train = EmotionTweets.load(folder, EmotionTweets.Part.TRAIN);
        assertEquals(16_000, train.size());
        assertEquals(
                5_362,
                train.stream()
                        .filter(t -> t.label() == EmotionTweets.LABELS.indexOf("joy"))
                        .count());
        assertEquals(
                572,
                train.stream()
                        .filter(t -> t.label() == EmotionTweets.LABELS.indexOf("surprise"))
                        .count());
        assertEquals(2_000, EmotionTweets.load(folder, EmotionTweets.Part.TEST).size());
    }

    @Test
    void aBadLineIsNamed() throws IOException {
        Files.writeString(dir.resolve("val.txt"), "i feel fine;joy\ni feel odd;bored\n");
        DatasetFormatException e =
                assertThrows(
                        DatasetFormatException.class,
                        () -> EmotionTweets.load(dir, EmotionTweets.Part.VALIDATION));
        assertTrue(
                e.getMessage().contains("line 2") && e.getMessage().contains("bored"),
                e.getMessage());
        assertThrows(
                DatasetNotFoundException.class,
                () -> EmotionTweets.load(dir, EmotionTweets.Part.TEST));
    }
}
