package org.dllab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group's own table: reading it (with errors that name the line) and encoding it, on values
 * worked out by hand.
 */
class TabularCsvTest {

    @TempDir Path tmp;

    @Test
    void numericAndCategoricalColumnsAreEncodedFromTheTrainingRowsOnly() throws IOException {
        Path train =
                Files.writeString(
                        tmp.resolve("train.csv"),
                        """
                id,age,city,income,label
                1,20,Taipei,100,yes
                2,30,Tainan,,no
                3,40,Taipei,300,yes
                4,NA,Kaohsiung,200,no
                """);
        TabularCsv.Table t = TabularCsv.read(train, "label", "id");
        assertEquals(List.of("age", "city", "income"), t.columns());
        assertEquals(List.of("yes", "no", "yes", "no"), t.labels());
        TabularEncoder e = TabularEncoder.fit(t, new int[] {0, 1, 2, 3}, 2);
        // age: mean 30, std sqrt(200/3); city: Taipei (2) and, of the 1-counts, Kaohsiung (by name)
        // kept, the rest "other";
        // income: mean 200, std sqrt(20000/3); both numeric columns have a missing cell, so each
        // gets a flag
        assertEquals(
                "2 numeric column(s) (2 with missing cells), 1 categorical (2 values) -> 7 features",
                e.describe());
        float[][] x = e.transform(t, new int[] {0, 1, 3});
        float ageStd = (float) Math.sqrt(200.0 / 3);
        float incomeStd = (float) Math.sqrt(20000.0 / 3);
        // columns: age, age missing, city=Kaohsiung, city=Taipei, city other, income, income
        // missing
        assertArrayEquals(new float[] {-10 / ageStd, 0, 0, 1, 0, -100 / incomeStd, 0}, x[0], 1e-6f);
        assertArrayEquals(
                new float[] {0, 0, 0, 0, 1, 0, 1},
                x[1],
                1e-6f); // Tainan is "other"; income missing
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 0, 0}, x[2], 1e-6f);

        Path test =
                Files.writeString(
                        tmp.resolve("test.csv"),
                        "id,city,age,income\nt1,Hsinchu,50,?\nt2,Taipei,abc,1\n");
        TabularCsv.Table unlabelled = TabularCsv.read(test, null, "id");
        assertEquals(null, unlabelled.labels());
        assertArrayEquals(
                new float[] {20 / ageStd, 0, 0, 0, 1, 0, 1},
                e.transform(unlabelled, new int[] {0})[0],
                1e-6f); // columns found by name
        IOException notANumber =
                assertThrows(IOException.class, () -> e.transform(unlabelled, new int[] {1}));
        assertEquals(
                "test.csv:3: 'abc' in the numeric column 'age' is not a number",
                notANumber.getMessage());
        Path lacking = Files.writeString(tmp.resolve("lacking.csv"), "id,age,income\nt1,1,2\n");
        IOException noColumn =
                assertThrows(
                        IOException.class,
                        () -> e.transform(TabularCsv.read(lacking, null, "id"), new int[] {0}));
        assertTrue(
                noColumn.getMessage()
                        .startsWith("lacking.csv:1: no column 'city' (the training file has it)"),
                noColumn.getMessage());
    }

    @Test
    void malformedRowsAreListedWithTheirLines() throws IOException {
        Path bad =
                Files.writeString(
                        tmp.resolve("bad.csv"),
                        "id,x,label\n1,0.5,a\n2,0.7\n3,0.1,\n1,0.2,b\n\"4\",\"0.3\",\"b\"\n");
        IOException e = assertThrows(IOException.class, () -> TabularCsv.read(bad, "label", "id"));
        assertEquals(
                "3 problem(s) in bad.csv:\n  bad.csv:3: 2 cells, the header has 3\n  bad.csv:4: no label in 'label'\n"
                        + "  bad.csv:5: id '1' already on line 2",
                e.getMessage());
        IOException column =
                assertThrows(IOException.class, () -> TabularCsv.read(bad, "target", "id"));
        assertEquals(
                "bad.csv:1: no column 'target'; the columns are [id, x, label]",
                column.getMessage());
        IOException absent =
                assertThrows(
                        IOException.class,
                        () -> TabularCsv.read(tmp.resolve("none.csv"), "label", "id"));
        assertTrue(
                absent.getMessage()
                        .endsWith(
                                "none.csv does not exist: put the table there (a CSV file with a header line)"),
                absent.getMessage());
        assertEquals(
                List.of("1", "2"),
                TabularCsv.read(
                                Files.writeString(tmp.resolve("noid.csv"), "x,y\n1,2\n3,4\n"),
                                "y",
                                null)
                        .ids());
    }
}
