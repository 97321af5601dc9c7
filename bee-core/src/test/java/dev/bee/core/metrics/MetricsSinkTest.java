package dev.bee.core.metrics;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.testing.Exposition;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records to metrics, read back through the client library's own text writer and a strict reader. */
class MetricsSinkTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    private static MapSpec map(String name, MapType type) {
        return new MapSpec(name, ".maps", type, 4, 8, 16, 0, false, OutputKind.of(name, ".maps"), null, null, 0, 0);
    }

    private MetricsSink sink(MetricsOptions options, MapSpec... maps) {
        return new MetricsSink(List.of(maps), options, registry);
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static MapRecord event(String map, Object... kv) {
        return new MapRecord(map, MapRecord.Kind.EVENT, Instant.EPOCH, Map.of(), fields(kv));
    }

    private static MapRecord entry(String map, Map<String, Object> key, Object value) {
        return new MapRecord(map, MapRecord.Kind.ENTRY, Instant.EPOCH, key, Map.of("value", value));
    }

    private Exposition scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return Exposition.parse("text/plain", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ringBufferCounterCountsEventsPerLabelSet() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("counter_conns", MapType.RINGBUF));
        s.write(event("counter_conns", "daddr", "10.0.0.1", "dport", 443L));
        s.write(event("counter_conns", "daddr", "10.0.0.1", "dport", 443L));
        s.write(event("counter_conns", "daddr", "10.0.0.2", "dport", 80L));
        Exposition e = scrape();
        assertEquals(2, e.value("ebpf_solo_io_counter_conns_total", "daddr", "10.0.0.1", "dport", "443").orElseThrow());
        assertEquals(1, e.value("ebpf_solo_io_counter_conns_total", "daddr", "10.0.0.2", "dport", "80").orElseThrow());
    }

    @Test
    void hashCounterFollowsTheMapAndRestartsWhenItGoesDown() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("counter_hash", MapType.HASH));
        Map<String, Object> k = Map.of("pid", 7L);
        s.write(entry("counter_hash", k, 5L));
        s.write(entry("counter_hash", k, 12L));
        assertEquals(12, scrape().value("ebpf_solo_io_counter_hash_total", "pid", "7").orElseThrow());
        s.write(entry("counter_hash", k, 3L));
        assertEquals(3, scrape().value("ebpf_solo_io_counter_hash_total", "pid", "7").orElseThrow());
        s.write(entry("counter_hash", k, -4L));
        assertEquals(0, scrape().value("ebpf_solo_io_counter_hash_total", "pid", "7").orElseThrow());
        s.write(MapRecord.removed("counter_hash", Instant.EPOCH, k));
        assertTrue(scrape().find("ebpf_solo_io_counter_hash_total").isEmpty());
        s.write(entry("counter_hash", k, 2L));
        assertEquals(2, scrape().value("ebpf_solo_io_counter_hash_total", "pid", "7").orElseThrow());
    }

    @Test
    void gaugesSetFromEntriesAndFromAnEventField() throws IOException {
        MetricsOptions o = MetricsOptions.parse("bee", 100, List.of("gauge_ev,depth"), List.of());
        MetricsSink s = sink(o, map("gauge_hash", MapType.HASH), map("gauge_ev", MapType.RINGBUF),
                map("gauge_last", MapType.RINGBUF));
        s.write(entry("gauge_hash", Map.of("cpu", 1L), 40L));
        s.write(entry("gauge_hash", Map.of("cpu", 1L), 30L));
        s.write(event("gauge_ev", "q", "a", "depth", 9L, "other", 1L));
        s.write(event("gauge_last", "q", "b", "lat", new DurationValue(1500)));
        Exposition e = scrape();
        assertEquals(30, e.value("bee_gauge_hash", "cpu", "1").orElseThrow());
        assertEquals(9, e.value("bee_gauge_ev", "q", "a", "other", "1").orElseThrow());
        assertEquals(1500, e.value("bee_gauge_last", "q", "b").orElseThrow());
        s.write(MapRecord.removed("gauge_hash", Instant.EPOCH, Map.of("cpu", 1L)));
        assertTrue(scrape().find("bee_gauge_hash").isEmpty());
    }

    @Test
    void ringBufferHistogramObservesLeIntoTheGivenBuckets() throws IOException {
        MetricsOptions o = MetricsOptions.parse("", 100, List.of(), List.of("hist_lat,[1,10]"));
        MetricsSink s = sink(o, map("hist_lat", MapType.RINGBUF));
        for (long v : new long[]{1, 5, 50}) {
            s.write(event("hist_lat", "comm", "x", "le", v));
        }
        Exposition e = scrape();
        assertEquals(1, e.value("hist_lat_bucket", "comm", "x", "le", "1.0").orElseThrow());
        assertEquals(2, e.value("hist_lat_bucket", "comm", "x", "le", "10.0").orElseThrow());
        assertEquals(3, e.value("hist_lat_bucket", "comm", "x", "le", "+Inf").orElseThrow());
        assertEquals(56, e.value("hist_lat_sum", "comm", "x").orElseThrow());
    }

    @Test
    void hashHistogramTakesCountsPerBucketFromLeOrLog2Slot() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("hist_le", MapType.HASH), map("hist_slot", MapType.HASH));
        s.write(entry("hist_le", fields("op", "read", "le", 4L), 2L));
        s.write(entry("hist_le", fields("op", "read", "le", 1L), 5L));
        s.write(entry("hist_slot", fields("slot", 3L), 7L));
        Exposition e = scrape();
        assertEquals(5, e.value("ebpf_solo_io_hist_le_bucket", "op", "read", "le", "1.0").orElseThrow());
        assertEquals(7, e.value("ebpf_solo_io_hist_le_bucket", "op", "read", "le", "4.0").orElseThrow());
        assertEquals(7, e.value("ebpf_solo_io_hist_le_bucket", "op", "read", "le", "+Inf").orElseThrow());
        assertEquals(7, e.value("ebpf_solo_io_hist_slot_bucket", "le", "8.0").orElseThrow());
        s.write(MapRecord.removed("hist_le", Instant.EPOCH, fields("op", "read", "le", 1L)));
        assertEquals(2, scrape().value("ebpf_solo_io_hist_le_bucket", "op", "read", "le", "+Inf").orElseThrow());
    }

    @Test
    void newLabelSetsPastTheBoundAreDroppedAndCounted() throws IOException {
        MetricsSink s = sink(MetricsOptions.parse("p", 2, List.of(), List.of()), map("counter_x", MapType.RINGBUF));
        for (long i = 0; i < 5; i++) {
            s.write(event("counter_x", "id", i));
        }
        s.write(event("counter_x", "id", 0L));
        Exposition e = scrape();
        assertEquals(2, e.find("p_counter_x_total").size());
        assertEquals(2, e.value("p_counter_x_total", "id", "0").orElseThrow());
        assertEquals(3, s.droppedSeries("counter_x"));
    }

    @Test
    void printMapsAndIteratorTextAreNotMetrics() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("print_x", MapType.RINGBUF));
        s.write(event("print_x", "a", 1L));
        s.write(MapRecord.iterator("dump", Instant.EPOCH, "text"));
        assertTrue(scrape().samples().isEmpty());
    }

    @Test
    void fieldNamesBecomeValidDistinctLabelNames() {
        assertEquals(List.of("sk_daddr", "_1x", "f__b", "le_2", "a_b", "a_b_2"),
                LabelNames.of(List.of("sk.daddr", "1x", "__b", "le", "a.b", "a-b"), java.util.Set.of("le")));
    }
}
