package dev.bee.core.sink;

import dev.bee.core.decode.DurationValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextLinesSinkTest {
    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void alignedColumnsWithAHeaderWhenTheLayoutChanges() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextLinesSink s = new TextLinesSink(out);
        s.write(new MapRecord("print_x", MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), fields("comm", "cat", "lat",
                new DurationValue(1_500_000))));
        s.write(new MapRecord("print_x", MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), fields("comm", "", "lat",
                new DurationValue(2_000))));
        s.write(MapRecord.removed("print_x", Instant.EPOCH, Map.of("k", 1L)));
        s.write(MapRecord.iterator("dump", Instant.EPOCH, "raw text\n"));
        s.flush();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, out.toString());
        assertTrue(lines[0].matches("time\\s+map\\s+comm\\s+lat"), lines[0]);
        assertTrue(lines[1].endsWith("cat   1.5ms"), lines[1]);
        assertTrue(lines[2].contains("print_x  -     2µs"), "empty shows as -: " + lines[2]);
        assertEquals("raw text", lines[3], "iterator text as it came; removed entries not shown");
    }

    @Test
    void aClosedOutputIsReportedOnFlush() {
        PrintStream broken = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        });
        TextLinesSink s = new TextLinesSink(broken);
        s.write(new MapRecord("m", MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), fields("a", 1L)));
        assertThrows(OutputClosedException.class, s::flush);
        assertEquals("-", TextLinesSink.text(null));
        assertEquals("a b", TextLinesSink.text("a\nb"));
    }
}
