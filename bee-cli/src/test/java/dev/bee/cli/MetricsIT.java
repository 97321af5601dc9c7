package dev.bee.cli;

import dev.bee.core.testing.Examples;
import dev.bee.core.testing.Exposition;
import dev.bee.core.testing.PrometheusServer;
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
        Path obj = TestObjects.object("metrics");
        List<String> args = new java.util.ArrayList<>(List.of("run", obj.toString(), "--no-tty", "--interval", "100ms",
                "--prom-address", "127.0.0.1", "--prom-port", Integer.toString(port)));
        args.addAll(List.of(extra));
        BeeProcess bee = BeeProcess.start(args.toArray(new String[0]));
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
            // Hash counter follows the map's value, and a value that goes down restarts the series.
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
                    && is(x, 5, "ebpf_solo_io_hist_buckets_count", "tag", "0")
                    && is(x, 8, "bee_map_records_total", "map", "counter_events"));
            assertEquals(5, value(e, "ebpf_solo_io_counter_events_total", "tag", "11"), e.body());
            assertEquals(3, value(e, "ebpf_solo_io_counter_events_total", "tag", "12"), e.body());
            assertEquals(40, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "1"), e.body());
            assertEquals(7, value(e, "ebpf_solo_io_counter_by_tag_total", "tag", "2"), e.body());
            assertEquals(99, value(e, "ebpf_solo_io_gauge_by_tag", "tag", "3"), e.body());
            assertEquals(120, value(e, "ebpf_solo_io_gauge_levels", "tag", "4"), e.body());
            assertEquals(1, value(e, "ebpf_solo_io_hist_observed_bucket", "tag", "7", "le", "10.0"), e.body());
            assertEquals(3, value(e, "ebpf_solo_io_hist_observed_bucket", "tag", "7", "le", "100.0"), e.body());
            assertEquals(4, value(e, "ebpf_solo_io_hist_observed_bucket", "tag", "7", "le", "1000.0"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_hist_observed_bucket", "tag", "7", "le", "+Inf"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_hist_observed_count", "tag", "7"), e.body());
            assertEquals(5605, value(e, "ebpf_solo_io_hist_observed_sum", "tag", "7"), e.body());
            assertEquals(3, value(e, "ebpf_solo_io_hist_buckets_bucket", "tag", "0", "le", "1.0"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_hist_buckets_bucket", "tag", "0", "le", "4.0"), e.body());
            assertEquals(5, value(e, "ebpf_solo_io_hist_buckets_bucket", "tag", "0", "le", "+Inf"), e.body());
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
                    && x.find("ebpf_solo_io_counter_events_total").size() == 3);
            assertEquals(3, e.find("ebpf_solo_io_counter_events_total").size(), e.body() + "\n" + bee.err());
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
                "-b", "hist_sleep_latency,[1e6,1e7,1e8,1e9]");
             PrometheusServer prometheus = PrometheusServer.start("127.0.0.1:" + port)) {
            bee.awaitAttached(TIMEOUT);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, new ProcessBuilder(sleeper.toString(), "0.02").start().waitFor());
            }
            String count = "sum(ebpf_solo_io_hist_sleep_latency_count{comm=\"" + comm + "\"})";
            OptionalDouble seen = prometheus.await(count, 3, Duration.ofSeconds(20));
            assertEquals(OptionalDouble.of(3), seen, "Prometheus saw " + seen + "; its log:\n" + prometheus.log());
            // Buckets as Prometheus stored them (le as the client library wrote it, read back as a number).
            java.util.Map<Double, Double> buckets = new java.util.TreeMap<>();
            for (com.fasterxml.jackson.databind.JsonNode r : prometheus.queryResult(
                    "sum by (le) (ebpf_solo_io_hist_sleep_latency_bucket{comm=\"" + comm + "\"})")) {
                buckets.put(Double.parseDouble(r.get("metric").get("le").asText().replace("+Inf", "Infinity")),
                        Double.parseDouble(r.get("value").get(1).asText()));
            }
            assertEquals(java.util.Map.of(1e6, 0.0, 1e7, 0.0, 1e8, 3.0, 1e9, 3.0, Double.POSITIVE_INFINITY, 3.0),
                    buckets);
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
}
