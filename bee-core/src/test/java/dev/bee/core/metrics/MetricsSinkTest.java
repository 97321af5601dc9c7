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
        return new MetricsSink(List.of(maps), new MapOrigin("test.o", List.of("on_open"), Map.of()), options, registry);
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
        assertEquals(2, e.value("ebpf_solo_io_conns_total", "daddr", "10.0.0.1", "dport", "443").orElseThrow());
        assertEquals(1, e.value("ebpf_solo_io_conns_total", "daddr", "10.0.0.2", "dport", "80").orElseThrow());
    }

    @Test
    void hashCounterFollowsTheMapAndRestartsWhenItGoesDown() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("counter_hash", MapType.HASH));
        Map<String, Object> k = Map.of("pid", 7L);
        s.write(entry("counter_hash", k, 5L));
        s.write(entry("counter_hash", k, 12L));
        assertEquals(12, scrape().value("ebpf_solo_io_hash_total", "pid", "7").orElseThrow());
        s.write(entry("counter_hash", k, 3L));
        assertEquals(3, scrape().value("ebpf_solo_io_hash_total", "pid", "7").orElseThrow());
        s.write(entry("counter_hash", k, -4L));
        assertEquals(0, scrape().value("ebpf_solo_io_hash_total", "pid", "7").orElseThrow());
        s.write(MapRecord.removed("counter_hash", Instant.EPOCH, k));
        assertTrue(scrape().find("ebpf_solo_io_hash_total").isEmpty());
        s.write(entry("counter_hash", k, 2L));
        assertEquals(2, scrape().value("ebpf_solo_io_hash_total", "pid", "7").orElseThrow());
    }

    @Test
    void gaugesSetFromEntriesAndFromAnEventField() throws IOException {
        MetricsOptions o = MetricsOptions.parse("bee", 100, "bumblebee", List.of("gauge_ev,depth"), List.of());
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
        MetricsOptions o = MetricsOptions.parse("", 100, "bee", List.of(), List.of("hist_lat,[1,10]"));
        MetricsSink s = sink(o, map("hist_lat", MapType.RINGBUF));
        for (long v : new long[]{1, 5, 50}) {
            s.write(event("hist_lat", "comm", "x", "le", v));
        }
        Exposition e = scrape();
        assertEquals(1, e.value("lat_bucket", "comm", "x", "le", "1.0").orElseThrow());
        assertEquals(2, e.value("lat_bucket", "comm", "x", "le", "10.0").orElseThrow());
        assertEquals(3, e.value("lat_bucket", "comm", "x", "le", "+Inf").orElseThrow());
        assertEquals(56, e.value("lat_sum", "comm", "x").orElseThrow());
    }

    @Test
    void hashHistogramTakesCountsPerBucketFromLeOrLog2Slot() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("hist_le", MapType.HASH), map("hist_slot", MapType.HASH));
        s.write(entry("hist_le", fields("op", "read", "le", 4L), 2L));
        s.write(entry("hist_le", fields("op", "read", "le", 1L), 5L));
        s.write(entry("hist_slot", fields("slot", 3L), 7L));
        Exposition e = scrape();
        assertEquals(5, e.value("ebpf_solo_io_le_bucket", "op", "read", "le", "1.0").orElseThrow());
        assertEquals(7, e.value("ebpf_solo_io_le_bucket", "op", "read", "le", "4.0").orElseThrow());
        assertEquals(7, e.value("ebpf_solo_io_le_bucket", "op", "read", "le", "+Inf").orElseThrow());
        assertEquals(7, e.value("ebpf_solo_io_le_count", "op", "read").orElseThrow());
        // The sum is unknown: an estimate, each bucket's count times its upper bound, and the HELP text says so.
        assertEquals(5 * 1 + 2 * 4, e.value("ebpf_solo_io_le_sum", "op", "read").orElseThrow());
        assertTrue(e.body().contains("_sum is an estimate, not measured"), e.body());
        assertEquals(7, e.value("ebpf_solo_io_slot_bucket", "le", "8.0").orElseThrow());
        s.write(MapRecord.removed("hist_le", Instant.EPOCH, fields("op", "read", "le", 1L)));
        assertEquals(2, scrape().value("ebpf_solo_io_le_bucket", "op", "read", "le", "+Inf").orElseThrow());
    }

    /** The bucket values of one series, by bound, as the exposition has them. */
    private static Map<Double, Double> buckets(Exposition e, String name, String... labels) {
        Map<Double, Double> out = new java.util.TreeMap<>();
        for (Exposition.Sample x : e.find(name + "_bucket", labels)) {
            out.put(Double.parseDouble(x.labels().get("le").replace("+Inf", "Infinity")), x.value());
        }
        return out;
    }

    @Test
    void everySeriesOfASlotHistogramHasTheWholeLog2LayoutSoSumsByLeAddUp() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("hist_slot", MapType.HASH));
        s.write(entry("hist_slot", fields("cpu", 0L, "slot", 2L), 500L));
        s.write(entry("hist_slot", fields("cpu", 0L, "slot", 3L), 400L));
        s.write(entry("hist_slot", fields("cpu", 1L, "slot", 4L), 90L));
        s.write(entry("hist_slot", fields("cpu", 2L, "slot", 10L), 5L));
        Exposition e = scrape();
        Map<Double, Double> sum = new java.util.TreeMap<>();
        for (String cpu : List.of("0", "1", "2")) {
            Map<Double, Double> b = buckets(e, "ebpf_solo_io_slot", "cpu", cpu);
            assertEquals(BucketHistogramMetric.MAX_SLOT + 2, b.size(), "2^0..2^63 and +Inf for cpu " + cpu);
            b.forEach((le, v) -> sum.merge(le, v, Double::sum));
        }
        double last = 0;
        for (double v : sum.values()) {
            assertTrue(v >= last, "sum by (le) never falls: " + sum);
            last = v;
        }
        assertEquals(500, sum.get(4.0));
        assertEquals(900, sum.get(8.0));
        assertEquals(990, sum.get(16.0));
        assertEquals(995, sum.get(1024.0));
        assertEquals(995, sum.get(Double.POSITIVE_INFINITY));
    }

    @Test
    void leHistogramsUseTheGivenLayoutOrTheUnionSeen() throws IOException {
        MetricsOptions given = MetricsOptions.parse("", 100, "bee", List.of(), List.of("hist_given,2,8"));
        MetricsSink s = sink(given, map("hist_given", MapType.HASH), map("hist_union", MapType.HASH));
        for (String m : List.of("hist_given", "hist_union")) {
            s.write(entry(m, fields("op", "a", "le", 1L), 3L));
            s.write(entry(m, fields("op", "a", "le", 4L), 2L));
            s.write(entry(m, fields("op", "b", "le", 16L), 1L));
        }
        Exposition e = scrape();
        // Re-binned: le=1 into 2, le=4 into 8, le=16 past the last bound into +Inf.
        assertEquals(Map.of(2.0, 3.0, 8.0, 5.0, Double.POSITIVE_INFINITY, 5.0), buckets(e, "given", "op", "a"));
        assertEquals(Map.of(2.0, 0.0, 8.0, 0.0, Double.POSITIVE_INFINITY, 1.0), buckets(e, "given", "op", "b"));
        // Without a layout: every bound this run has seen, in every series.
        assertEquals(Map.of(1.0, 3.0, 4.0, 5.0, 16.0, 5.0, Double.POSITIVE_INFINITY, 5.0), buckets(e, "union", "op", "a"));
        assertEquals(Map.of(1.0, 0.0, 4.0, 0.0, 16.0, 1.0, Double.POSITIVE_INFINITY, 1.0), buckets(e, "union", "op", "b"));
    }

    @Test
    void durationsAreInSecondsUnderBeeNamesAndRawUnderBumbleBeeNames() throws IOException {
        MetricsOptions bee = MetricsOptions.parse("p", 100, "bee", List.of(), List.of("hist_lat,0.001,0.01"));
        MetricsSink s = sink(bee, map("gauge_wait", MapType.RINGBUF), map("hist_lat", MapType.RINGBUF),
                map("hist_rt_ns", MapType.HASH), map("counter_busy", MapType.HASH));
        s.write(event("gauge_wait", "q", "a", "wait", new DurationValue(1_500_000)));
        s.write(event("hist_lat", "comm", "x", "latency", new DurationValue(5_000_000)));
        s.write(entry("hist_rt_ns", fields("le", 1000L), 4L));
        s.write(new MapRecord("counter_busy", MapRecord.Kind.ENTRY, Instant.EPOCH, Map.of("cpu", 0L),
                fields("busy_ns", 2_000_000_000L)));
        Exposition e = scrape();
        assertEquals(0.0015, e.value("p_wait_seconds", "q", "a").orElseThrow());
        assertEquals(1, e.value("p_lat_seconds_bucket", "comm", "x", "le", "0.01").orElseThrow());
        assertEquals(0.005, e.value("p_lat_seconds_sum", "comm", "x").orElseThrow());
        assertEquals(4, e.value("p_rt_seconds_bucket", "le", "1.0E-6").orElseThrow());
        assertEquals(2, e.value("p_busy_seconds_total", "cpu", "0").orElseThrow());

        PrometheusRegistry bumblebee = new PrometheusRegistry();
        MetricsSink b = new MetricsSink(List.of(map("gauge_wait", MapType.RINGBUF)), new MapOrigin("t.o", List.of(), java.util.Map.of()),
                MetricsOptions.parse("p", 100, "bumblebee", List.of(), List.of()), bumblebee);
        b.write(event("gauge_wait", "q", "a", "wait", new DurationValue(1_500_000)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, bumblebee.scrape());
        assertEquals(1_500_000, Exposition.parse("text/plain", out.toString(StandardCharsets.UTF_8))
                .value("p_gauge_wait", "q", "a").orElseThrow());
    }

    @Test
    void helpSaysWhatTheMapIsAndMapsThatWouldShareANameKeepTheirOwn() throws IOException {
        MetricsSink s = sink(MetricsOptions.defaults(), map("counter_x", MapType.HASH), map("gauge_x", MapType.HASH));
        s.write(entry("counter_x", Map.of("comm", "a"), 1L));
        s.write(entry("gauge_x", Map.of("comm", "a"), 2L));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("# HELP ebpf_solo_io_counter_x_total counter of eBPF map counter_x (hash) in test.o"
                + " (program on_open): one series per comm; follows the map's value field value"), text);
        assertTrue(text.contains("ebpf_solo_io_gauge_x{comm=\"a\"} 2.0"), text);
    }

    @Test
    void aNameThatTurnsOutTakenLeavesThatMapWithoutAMetricAndTheRunGoesOn() throws IOException {
        // gauge_lat holds a duration: ebpf_solo_io_lat_seconds, which gauge_lat_seconds already is.
        MetricsSink s = sink(MetricsOptions.defaults(), map("gauge_lat_seconds", MapType.RINGBUF),
                map("gauge_lat", MapType.RINGBUF));
        s.write(event("gauge_lat_seconds", "q", "a", "v", 2L));
        s.write(event("gauge_lat", "q", "a", "wait", new DurationValue(1_000_000_000)));
        s.write(event("gauge_lat", "q", "a", "wait", new DurationValue(3_000_000_000L)));
        Exposition e = scrape();
        assertEquals(1, e.find("ebpf_solo_io_lat_seconds").size(), e.body());
        assertEquals(2, e.value("ebpf_solo_io_lat_seconds", "q", "a").orElseThrow());
    }

    @Test
    void newLabelSetsPastTheBoundAreDroppedAndCounted() throws IOException {
        MetricsSink s = sink(MetricsOptions.parse("p", 2, "bee", List.of(), List.of()), map("counter_x", MapType.RINGBUF));
        for (long i = 0; i < 5; i++) {
            s.write(event("counter_x", "id", i));
        }
        s.write(event("counter_x", "id", 0L));
        Exposition e = scrape();
        assertEquals(2, e.find("p_x_total").size());
        assertEquals(2, e.value("p_x_total", "id", "0").orElseThrow());
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
