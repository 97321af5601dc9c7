package dev.bee.cli.ui;

import dev.bee.core.sink.MapRecord;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hist_ table panel is drawn as bars per label set; the panel's filter picks the label sets. */
class PanelRendererTest {
    private static MapRecord bucket(String comm, long slot, long count) {
        return new MapRecord("hist_lat", MapRecord.Kind.ENTRY, Instant.EPOCH, Map.of("comm", comm, "slot", slot),
                Map.of("value", count));
    }

    private static List<String> draw(PanelView view, List<MapRecord> rows) {
        Panel p = new Panel("hist_lat", Panel.Kind.TABLE, "hist, polled");
        return PanelRenderer.render(p, true, view, rows, List.of("comm", "slot", "value"), 20, 100).stream()
                .map(AttributedString::toString).toList();
    }

    @Test
    void aPerBucketHistogramIsDrawnAsBarsPerLabelSet() {
        List<String> lines = draw(PanelView.PLAIN, List.of(bucket("sleep", 3, 4), bucket("sleep", 1, 1), bucket("cat", 2, 2)));
        assertTrue(lines.contains("comm=sleep"), lines.toString());
        assertTrue(lines.contains("comm=cat"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("5 -> 8 : 4") && l.contains("80.0%") && l.contains("|****")),
                lines.toString());
        assertEquals(20, lines.size());
    }

    @Test
    void theFilterCoversTheRowsTheBarsAreMadeOf() {
        List<String> lines = draw(PanelView.PLAIN.withFilter(FieldFilter.parse("comm cat")),
                List.of(bucket("sleep", 3, 4), bucket("cat", 2, 2)));
        assertTrue(lines.contains("comm=cat"), lines.toString());
        assertFalse(lines.contains("comm=sleep"), lines.toString());
    }
}
