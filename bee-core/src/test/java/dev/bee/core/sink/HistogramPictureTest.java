package dev.bee.core.sink;

import dev.bee.core.decode.DurationValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramPictureTest {
    @Test
    void drawsFromTheLowestToTheHighestBucketWithACountScaledToTheLargest() {
        TreeMap<Double, Long> counts = new TreeMap<>(Map.of(1.0, 0L, 2.0, 1L, 4.0, 0L, 8.0, 4L, 16.0, 0L));
        List<String> lines = HistogramPicture.lines(counts, false, 8);
        assertEquals(List.of(
                " range : count  share  distribution",
                "2 -> 2 : 1      20.0%  |**      |",
                "3 -> 4 : 0       0.0%  |        |",
                "5 -> 8 : 4      80.0%  |********|"), lines);
    }

    @Test
    void durationsAreWrittenAsDurationsAndNothingIsDrawnOfNothing() {
        TreeMap<Double, Long> counts = new TreeMap<>(Map.of(1e6, 3L, 2e6, 1000L));
        List<String> lines = HistogramPicture.lines(counts, true, 10);
        assertTrue(lines.get(1).trim().startsWith("1ms : 3"), lines.toString());
        assertTrue(lines.get(1).endsWith("|*         |"), "a bucket with a count never looks empty: " + lines);
        assertTrue(lines.get(2).contains(" -> 2ms : 1000"), lines.toString());
        assertEquals(List.of(), HistogramPicture.lines(new TreeMap<>(Map.of(1.0, 0L)), false, 10));
    }

    @Test
    void theSinkDrawsEachChangedLabelSetAtFlushAndPassesEverythingElseOn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HistogramPicturesSink sink = new HistogramPicturesSink(new TextLinesSink(out), out, Set.of("hist_lat"));
        Instant t = Instant.EPOCH;
        sink.write(new MapRecord("hist_lat", MapRecord.Kind.ENTRY, t, Map.of("comm", "sleep", "slot", 3L), Map.of("value", 5L)));
        sink.write(new MapRecord("hist_lat", MapRecord.Kind.ENTRY, t, Map.of("comm", "sleep", "slot", 1L), Map.of("value", 1L)));
        sink.write(new MapRecord("print_x", MapRecord.Kind.ENTRY, t, Map.of("k", 1L), Map.of("v", 2L)));
        sink.flush();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("hist_lat  comm=sleep"), text);
        assertTrue(text.contains("5 -> 8 : 5"), text);
        assertTrue(text.contains("3 -> 4 : 0"), "a log2 histogram's missing slot is an empty bucket: " + text);
        assertTrue(text.contains("print_x"), "other maps are lines: " + text);
        assertFalse(text.contains("slot"), "no line per bucket: " + text);

        bytes.reset();
        sink.flush();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing changed, nothing drawn");
        sink.write(new MapRecord("hist_lat", MapRecord.Kind.REMOVED, t, Map.of("comm", "sleep", "slot", 3L), Map.of()));
        sink.flush();
        String after = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(after.contains("2 -> 2 : 1") && !after.contains("5 -> 8"), after);
    }

    @Test
    void bucketsAreLeOrTwoToTheSlot() {
        assertEquals(8.0, BucketHistogram.bound(Map.of("slot", 3L)));
        assertEquals(1000.0, BucketHistogram.bound(Map.of("le", 1000L)));
        assertEquals(5e6, BucketHistogram.bound(Map.of("le", new DurationValue(5_000_000))));
        assertTrue(Double.isNaN(BucketHistogram.bound(Map.of("x", 1L))));
    }
}
