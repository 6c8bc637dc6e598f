package org.dllab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outside a terminal a pass reports ten lines, not a hundred bar frames. */
class ProgressTest {

    @Test
    void oneLinePerTenthWithTheTrailer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = Progress.lines("Epoch 1/3", 938, out);
        for (int i = 1; i <= 938; i++) {
            p.update(i, "loss 0.5");
        }
        p.end();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(10, lines.size(), String.join("\n", lines));
        assertEquals("Epoch 1/3: 10 % (94/938) loss 0.5", lines.get(0));
        assertEquals("Epoch 1/3: 100 % (938/938) loss 0.5", lines.get(9));
        assertEquals(
                -1, bytes.toString(StandardCharsets.UTF_8).indexOf('\r'), "no carriage returns");
    }

    @Test
    void aLoopStoppedBetweenTenthsEndsWithItsCount() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress p = Progress.lines("Grading", 30, out);
        for (int i = 1; i <= 5; i++) {
            p.update(i);
        }
        p.end();
        assertEquals(
                List.of("Grading: 10 % (3/30)", "Grading: 16 % (5/30)"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
        assertNull(Progress.start("silent", 10, null));
    }
}
