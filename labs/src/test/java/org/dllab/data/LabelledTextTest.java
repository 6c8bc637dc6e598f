package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group's own texts in CSV and JSON Lines, and the errors that name line and column. */
class LabelledTextTest {

    @TempDir Path tmp;

    @Test
    void csvAndJsonLinesWithChosenColumns() throws Exception {
        Path csv = tmp.resolve("reviews.csv");
        Files.writeString(
                csv,
                "\uFEFFreview_id,content,stars\nr1,\"好吃, 送得快\",pos\nr2,\"Cold, and \"\"late\"\"\",neg\n");
        assertEquals(
                List.of(
                        new LabelledText.Row("r1", "好吃, 送得快", "pos"),
                        new LabelledText.Row("r2", "Cold, and \"late\"", "neg")),
                LabelledText.read(csv, "content", "stars", "review_id"));
        Path jsonl = tmp.resolve("test.jsonl");
        Files.writeString(
                jsonl, "{\"text\": \"a tweet\", \"n\": 1}\n\n{\"text\": \"another\", \"n\": 2}\n");
        assertEquals(
                List.of(
                        new LabelledText.Row("1", "a tweet", null),
                        new LabelledText.Row("2", "another", null)),
                LabelledText.read(jsonl, "text", null, null),
                "unlabelled, ids from row numbers");
    }

    @Test
    void problemsNameTheLineAndColumn() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "id,text,label\n1,good,a\n2,,b\n3,fine,\n1,dup,a\n");
        String msg =
                assertThrows(IOException.class, () -> LabelledText.read(csv, "text", "label", "id"))
                        .getMessage();
        assertTrue(
                msg.contains("bad.csv:3: empty 'text'")
                        && msg.contains("bad.csv:4: no label in 'label'")
                        && msg.contains("bad.csv:5: id '1' already on line 2"),
                msg);
        String missing =
                assertThrows(IOException.class, () -> LabelledText.read(csv, "body", "label", "id"))
                        .getMessage();
        assertTrue(
                missing.contains("bad.csv:1: no column 'body'; the columns are [id, text, label]"),
                missing);
        Path jsonl = tmp.resolve("bad.jsonl");
        Files.writeString(jsonl, "{\"text\": \"ok\"}\nnot json\n");
        assertTrue(
                assertThrows(IOException.class, () -> LabelledText.read(jsonl, "text", null, null))
                        .getMessage()
                        .startsWith("bad.jsonl:2: not a JSON object"));
        assertTrue(
                assertThrows(
                                IOException.class,
                                () -> LabelledText.read(tmp.resolve("x.xlsx"), "text", null, null))
                        .getMessage()
                        .contains(".csv, .tsv or .jsonl"));
    }
}
