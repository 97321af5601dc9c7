package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.PrometheusServer;
import dev.bee.core.testing.Promtool;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bee run's Prometheus endpoint over real HTTP while a real program runs: the test drives every map
 * convention of src/test/resources/objects/metrics.c exactly (through getpriority calls the program
 * sees), scrapes /metrics, reads the exposition strictly and checks each value; then a real Prometheus
 * server scrapes a running example and the values come back through its query API.
 */
class MetricsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final int MAGIC = 0x62656500;

    /** libc's getpriority: the kernel refuses our made-up arguments, after the tracepoint saw them. */
    public interface LibC {
        int getpriority(int which, int who);
    }

    private static LibC libc;

    @BeforeAll
    static void requirements() {
        Requirements.requireRoot();
        Requirements.requireKernelBtf();
        Requirements.requireTool("clang");
        libc = LibraryLoader.create(LibC.class).load("c");
    }

    private static void op(int op, int who) {
        libc.getpriority(MAGIC | op, who);
    }

    private static BeeProcess run(int port, String... extra) {
        return run(java.util.Map.of(), port, extra);
    }

    private static BeeProcess run(java.util.Map<String, String> env, int port, String... extra) {
        Path obj = TestObjects.object("metrics");
        List<String> args = new java.util.ArrayList<>(List.of("run", obj.toString(), "--no-tty", "--interval", "100ms",
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port)));
        args.addAll(List.of(extra));
        BeeProcess bee = BeeProcess.start(env, args.toArray(new String[0]));
        bee.awaitAttached(TIMEOUT);
        return bee;
    }

    /** Scrapes until {@code done} holds (the map poller runs every 100 ms), or fails after 5 s. */
    private static Exposition awaitScrape(int port, Predicate<Exposition> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Exposition e;
        do {
            e = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
            if (done.test(e)) {
                return e;
            }
            BeeProcess.sleep(100);
        } while (System.nanoTime() < deadline);
        return e;
    }

    private static boolean is(Exposition e, double expected, String name, String... labels) {
        OptionalDouble v = e.value(name, labels);
        return v.isPresent() && v.getAsDouble() == expected;
    }

    private static double value(Exposition e, String name, String... labels) {
        return e.value(name, labels).orElseThrow(() -> new AssertionError("no " + name + " " + List.of(labels)
                + " in:\n" + e.body()));
    }

    @Test
    void everyConventionBecomesTheRightMetric() throws IOException {
        int port = RegistryServer.freePort();
        try (BeeProcess bee = run(port, "--hist-buckets", "hist_observed,10,100,1000")) {
            assertTrue(bee.err().contains("bee: metrics on http://127.0.0.1:" + port + "/metrics"), bee.err());
            // Ring buffer counter: +1 per event, labelled by the event's fields.
            for (int i = 0; i < 5; i++) {
                op(1, 11);
            }
            for (int i = 0; i < 3; i++) {
                op(1, 12);
            }
            // Hash counter follows the map's value, and a value that goes down restarts the series. counter_by_tag
            // and gauge_by_tag would both be ebpf_solo_io_by_tag without their convention word: they keep it.
            op(2, (1 << 16) | 40);
            op(2, (2 << 16) | 7);
            // Hash gauge set to the map's value; ring gauge to the event's last numeric field.
            op(4, (3 << 16) | 99);
            op(7, (4 << 16) | 250);
            op(7, (4 << 16) | 120);
            // Histogram of a ring buffer: observes the field le, into the given buckets.
            for (int v : new int[]{5, 50, 50, 500, 5000}) {
                op(6, v);
            }
            // Histogram of a hash map counted per bucket by the program.
            op(8, (1 << 16) | 3);
            op(8, (4 << 16) | 2);
            Exposition e = awaitScrape(port, x -> is(x, 40, "ebpf_solo_io_counter_by_tag_total", "tag", "1")
                    && is(x, 99, "ebpf_solo_io_gauge_by_tag", "tag", "3")
                    && is(x, 5, "ebpf_solo_io_buckets_count", "tag", "0")
                    && is(x, 8, "bee_map_records_total", "map", "counter_events"));
            assertEquals(5, value(e, "ebpf_solo_io_events_total", "tag", "11"), e.body());
            assertEquals(3, value(e, "ebpf_solo_io_events_total", "tag", "12"), e.body());
            assertEquals(40, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "1"), e.body());
            assertEquals(7, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "2"), e.body());
            assertEquals(99, value(e, "ebpf_solo_io_gauge_by_tag", "tag", "3"), e.body());
            assertEquals(120, value(e, "ebpf_solo_io_levels", "tag", "4"), e.body());
            assertEquals(1, value(e, "ebpf_solo_io_observed_bucket", "tag", "7", "le", "10.0"), e.body());
            assertEquals(3, value(e, "ebpf_solo_io_observed_bucket", "tag", "7", "le", "100.0"), e.body());
            assertEquals(4, value(e, "ebpf_solo_io_observed_bucket", "tag", "7", "le", "1000.0"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_observed_bucket", "tag", "7", "le", "+Inf"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_observed_count", "tag", "7"), e.body());
            assertEquals(5605, value(e, "ebpf_solo_io_observed_sum", "tag", "7"), e.body());
            assertEquals(3, value(e, "ebpf_solo_io_buckets_bucket", "tag", "0", "le", "1.0"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_buckets_bucket", "tag", "0", "le", "4.0"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_buckets_bucket", "tag", "0", "le", "+Inf"), e.body());
            // bee's own: counted records, ring buffer loss unknown (no lost series, loss_counted 0).
            assertEquals(8, value(e, "bee_map_records_total", "map", "counter_events"), e.body());
            assertEquals(0, value(e, "bee_map_loss_counted", "map", "counter_events"), e.body());
            assertTrue(e.value("bee_map_lost_total", "map", "counter_events").isEmpty(), e.body());
            assertEquals(1, value(e, "bee_map_loss_counted", "map", "counter_by_tag"), e.body());
            assertEquals(0, value(e, "bee_map_malformed_total", "map", "counter_events"), e.body());
            assertTrue(value(e, "bee_program_runs_total", "program", "bee_metrics_probe") >= 17, e.body());
            assertTrue(value(e, "bee_program_run_time_seconds_total", "program", "bee_metrics_probe") > 0, e.body());

            // Down, deleted and re-created: never negative, never a crash; the series restarts.
            op(2, (1 << 16) | 10);
            e = awaitScrape(port, x -> is(x, 10, "ebpf_solo_io_counter_by_tag_total", "tag", "1"));
            assertEquals(10, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "1"), e.body());
            op(3, 1 << 16);
            op(5, 3 << 16);
            e = awaitScrape(port, x -> x.find("ebpf_solo_io_counter_by_tag_total", "tag", "1").isEmpty()
                    && x.find("ebpf_solo_io_gauge_by_tag", "tag", "3").isEmpty());
            assertTrue(e.find("ebpf_solo_io_counter_by_tag_total", "tag", "1").isEmpty(), "deleted entry left: " + e.body());
            assertTrue(e.find("ebpf_solo_io_gauge_by_tag", "tag", "3").isEmpty(), "deleted entry left: " + e.body());
            op(2, (1 << 16) | 3);
            e = awaitScrape(port, x -> is(x, 3, "ebpf_solo_io_counter_by_tag_total", "tag", "1"));
            assertEquals(3, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "1"), e.body());
            assertEquals(7, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "2"), e.body());

            // OpenMetrics when the scraper asks for it, negotiated by the client library.
            Exposition om = Exposition.scrape("http://127.0.0.1:" + port + "/metrics",
                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(om.contentType().startsWith("application/openmetrics-text"), om.contentType());
            assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
            assertEquals(8, value(om, "bee_map_records_total", "map", "counter_events"), om.body());
            assertTrue(Exposition.scrape("http://127.0.0.1:" + port + "/metrics", "text/plain; version=0.0.4")
                    .contentType().startsWith("text/plain"));

            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
    }

    @Test
    void labelSetsPastMaxSeriesAreDroppedAndCounted() throws IOException {
        int port = RegistryServer.freePort();
        try (BeeProcess bee = run(port, "--max-series", "3")) {
            for (int tag = 1; tag <= 6; tag++) {
                op(1, 100 + tag);
            }
            // The record count rises before the record reaches the metrics sink: wait for both.
            Exposition e = awaitScrape(port, x -> is(x, 6, "bee_map_records_total", "map", "counter_events")
                    && is(x, 3, "bee_map_series_dropped_total", "map", "counter_events")
                    && x.find("ebpf_solo_io_events_total").size() == 3);
            assertEquals(3, e.find("ebpf_solo_io_events_total").size(), e.body() + "\n" + bee.err());
            assertEquals(3, value(e, "bee_map_series_dropped_total", "map", "counter_events"), e.body());
            bee.signal("TERM");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
            assertTrue(bee.err().contains("more than 3 label sets"), bee.err());
        }
    }

    @Test
    void promPortZeroOpensNoPort() throws Exception {
        try (BeeProcess bee = BeeProcess.start("run", TestObjects.object("metrics").toString(), "--no-tty",
                "--prom-port", "0")) {
            bee.awaitAttached(TIMEOUT);
            String listening = Examples.exec("ss", "-H", "-ltnp");
            assertFalse(listening.contains("pid=" + bee.pid() + ","), "bee listens:\n" + listening);
            assertFalse(bee.err().contains("metrics on"), bee.err());
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
    }

    @Test
    void aTakenPortAskedForIsAClearError() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             BeeProcess bee = BeeProcess.start("run", TestObjects.object("metrics").toString(), "--no-tty",
                     "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(taken.getLocalPort()))) {
            assertEquals(2, bee.waitFor(TIMEOUT), bee.err());
            assertTrue(bee.err().contains("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort()), bee.err());
            assertTrue(bee.err().contains("--prom-port"), bee.err());
            assertFalse(bee.err().contains("bee: running"), "nothing is loaded: " + bee.err());
        }
    }

    /** What a user's monitoring sees: a real Prometheus scrapes bee running the sleeplat example. */
    @Test
    void prometheusScrapesARunningExample() throws Exception {
        Requirements.requireTool("prometheus");
        int port = RegistryServer.freePort();
        // A copy of sleep with a name of its own, so only the test's sleeps carry this comm label.
        Path sleeper = Files.createTempDirectory("bee-sleep").resolve("beesleep" + (port % 10000));
        Files.copy(Path.of("/bin/sleep"), sleeper);
        sleeper.toFile().setExecutable(true);
        String comm = sleeper.getFileName().toString();
        try (BeeProcess bee = BeeProcess.start("run", Examples.object("sleeplat").toString(), "--no-tty",
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port),
                "-b", "hist_sleep_latency,[0.001,0.01,0.1,1]");
             PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + port)) {
            bee.awaitAttached(TIMEOUT);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, new ProcessBuilder(sleeper.toString(), "0.02").start().waitFor());
            }
            // bee's names: no convention word in the name, the duration in seconds.
            String count = "sum(ebpf_solo_io_sleep_latency_seconds_count{comm=\"" + comm + "\"})";
            OptionalDouble seen = prometheus.await(count, 3, Duration.ofSeconds(20));
            assertEquals(OptionalDouble.of(3), seen, "Prometheus saw " + seen + "; its log:\n" + prometheus.log());
            // Buckets as Prometheus stored them (le as the client library wrote it, read back as a number).
            java.util.Map<Double, Double> buckets = new java.util.TreeMap<>();
            for (com.fasterxml.jackson.databind.JsonNode r : prometheus.queryResult(
                    "sum by (le) (ebpf_solo_io_sleep_latency_seconds_bucket{comm=\"" + comm + "\"})")) {
                buckets.put(Double.parseDouble(r.get("metric").get("le").asText().replace("+Inf", "Infinity")),
                        Double.parseDouble(r.get("value").get(1).asText()));
            }
            assertEquals(java.util.Map.of(0.001, 0.0, 0.01, 0.0, 0.1, 3.0, 1.0, 3.0, Double.POSITIVE_INFINITY, 3.0),
                    buckets);
            // Prometheus' own linter passes on what bee serves: the example's metrics and bee's own.
            Exposition scrape = Exposition.scrape("http://127.0.0.1:" + port + "/metrics", null);
            assertTrue(scrape.body().contains("bee_build_info{"), scrape.body());
            assertTrue(scrape.body().contains("# HELP ebpf_solo_io_sleep_latency_seconds histogram of eBPF map"
                    + " hist_sleep_latency (ringbuf, value struct event_t) in sleeplat.o"), scrape.body());
            assertEquals("", Promtool.problems(scrape.body()), scrape.body());
            assertTrue(prometheus.targetUp(), prometheus.log());
            OptionalDouble runs = prometheus.query("sum(bee_program_runs_total{program=\"exit_clock_nanosleep\"})"
                    + " + sum(bee_program_runs_total{program=\"exit_nanosleep\"})");
            assertTrue(runs.isPresent() && runs.getAsDouble() >= 3, "program runs " + runs);
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        } finally {
            Files.deleteIfExists(sleeper);
        }
    }

    /** Sets hist_slots[tag, slot] = count * factor for each {tag, slot, count}. */
    private static void setSlots(int[][] counts, int factor) {
        for (int[] c : counts) {
            op(9, (c[0] << 24) | (c[1] << 16) | (c[2] * factor));
        }
    }

    /** A PromQL instant query's one value, failing with the query's result when there is none. */
    private static double one(PrometheusServer prometheus, String promql) {
        OptionalDouble v = prometheus.query(promql);
        assertTrue(v.isPresent(), promql + " gave " + prometheus.queryResult(promql));
        return v.getAsDouble();
    }

    /**
     * Issue 18 item 3: a histogram the program keeps per log2 bucket, with three series (tags) that each fill
     * other buckets, aggregated by a real Prometheus as a fleet dashboard does. Each series exposes every
     * bucket, so {@code sum by (le)} never falls as le rises and {@code histogram_quantile} over the sum is
     * the merged observations' p99, in the same bucket as the series that holds the bulk of them.
     */
    @Test
    void prometheusAggregatesAHashHistogramAcrossSeries() throws Exception {
        Requirements.requireTool("prometheus");
        int port = RegistryServer.freePort();
        // {tag, log2 slot (bucket le = 2^slot), count}: tag 1 in le 4 and 8, tag 2 in 8 and 16, tag 3 in 1024.
        int[][] counts = {{1, 2, 500}, {1, 3, 400}, {2, 3, 300}, {2, 4, 90}, {3, 10, 5}};
        int total = 1295;
        try (BeeProcess bee = run(port); PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + port)) {
            setSlots(counts, 1);
            String count = "sum(ebpf_solo_io_slots_count)";
            assertEquals(OptionalDouble.of(total), prometheus.await(count, total, Duration.ofSeconds(20)),
                    prometheus.log());
            long fullAt = System.nanoTime();
            BeeProcess.sleep(2500);
            setSlots(counts, 2);
            assertEquals(OptionalDouble.of(2 * total), prometheus.await(count, 2 * total, Duration.ofSeconds(20)),
                    prometheus.log());
            BeeProcess.sleep(2500);
            // A window that starts after every bucket held its first count, so rate is proportional to it, and
            // one evaluation time for every query (@), so the window does not slide between them.
            long window = Duration.ofNanos(System.nanoTime() - fullAt).toSeconds() - 1;
            String at = String.format(java.util.Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0);
            String rate = "rate(ebpf_solo_io_slots_bucket%s[" + window + "s] @ " + at + ")";

            // The same layout in every series: 2^0 .. 2^63 and +Inf.
            for (String tag : List.of("1", "2", "3")) {
                assertEquals(65, prometheus.queryResult("ebpf_solo_io_slots_bucket{tag=\"" + tag + "\"}").size());
            }
            java.util.TreeMap<Double, Double> sum = new java.util.TreeMap<>();
            for (com.fasterxml.jackson.databind.JsonNode r : prometheus.queryResult(
                    "sum by (le) (ebpf_solo_io_slots_bucket)")) {
                sum.put(Double.parseDouble(r.get("metric").get("le").asText().replace("+Inf", "Infinity")),
                        Double.parseDouble(r.get("value").get(1).asText()));
            }
            double last = 0;
            for (double v : sum.values()) {
                assertTrue(v >= last, "sum by (le) falls as le rises: " + sum);
                last = v;
            }
            assertEquals(2.0 * 1290, sum.get(16.0), sum.toString());
            assertEquals(2.0 * total, sum.get(Double.POSITIVE_INFINITY), sum.toString());

            double p1 = one(prometheus, "histogram_quantile(0.99, " + rate.formatted("{tag=\"1\"}") + ")");
            double p2 = one(prometheus, "histogram_quantile(0.99, " + rate.formatted("{tag=\"2\"}") + ")");
            double p3 = one(prometheus, "histogram_quantile(0.99, " + rate.formatted("{tag=\"3\"}") + ")");
            double all = one(prometheus, "histogram_quantile(0.99, sum by (le) (" + rate.formatted("") + "))");
            assertTrue(p1 > 4 && p1 <= 8, "tag 1's p99 " + p1);
            assertTrue(p2 > 8 && p2 <= 16, "tag 2's p99 " + p2);
            assertTrue(p3 > 512 && p3 <= 1024, "tag 3's p99 " + p3);
            // The merged observations' p99: 99 % of 1295 is the 1282.05th, in (8, 16] where 1200 to 1290 are.
            double expected = 8 + (0.99 * total - 1200) / 90 * 8;
            assertEquals(expected, all, 1e-6 * expected, "aggregated p99 " + all);
            assertTrue(all > 8 && all <= 16, "within the bucket of tag 2's p99 " + p2 + ": " + all);
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
    }

    /** Also: in a pod (NODE_NAME set from the downward API) bee's own series carry the node, the map's do not. */
    @Test
    void bumbleBeeNamesKeepTheMapNameAndRawValues() throws IOException {
        int port = RegistryServer.freePort();
        try (BeeProcess bee = run(java.util.Map.of("NODE_NAME", "node-a"), port, "--metric-names", "bumblebee")) {
            op(1, 21);
            op(7, (5 << 16) | 77);
            Exposition e = awaitScrape(port, x -> is(x, 1, "ebpf_solo_io_counter_events_total", "tag", "21")
                    && is(x, 77, "ebpf_solo_io_gauge_levels", "tag", "5"));
            assertEquals(1, value(e, "ebpf_solo_io_counter_events_total", "tag", "21"), e.body());
            assertEquals(77, value(e, "ebpf_solo_io_gauge_levels", "tag", "5"), e.body());
            assertTrue(e.find("ebpf_solo_io_events_total").isEmpty(), e.body());
            assertEquals(1, value(e, "bee_map_records_total", "map", "counter_events", "node", "node-a"), e.body());
            assertEquals("node-a", e.find("bee_build_info").get(0).labels().get("node"), e.body());
            assertEquals(null, e.find("ebpf_solo_io_counter_events_total").get(0).labels().get("node"), e.body());
            bee.signal("INT");
            assertEquals(0, bee.waitFor(TIMEOUT), bee.err());
        }
    }
}
