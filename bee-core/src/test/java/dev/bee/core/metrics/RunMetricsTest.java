package dev.bee.core.metrics;

import dev.bee.core.runtime.Session;
import dev.bee.core.testing.Exposition;
import dev.bee.core.watch.Runner;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bee's own metrics: program statistics only while the kernel keeps them, the node label, build info. */
class RunMetricsTest {
    private static Exposition scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return Exposition.parse("text/plain", out.toString(StandardCharsets.UTF_8));
    }

    private static PrometheusRegistry registry(boolean statsOn, OwnLabels labels) {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsSink sink = new MetricsSink(List.of(), new MapOrigin("t.o", List.of(), java.util.Map.of()), MetricsOptions.defaults(),
                registry);
        List<Session.ProgramStats> stats = statsOn ? List.of(new Session.ProgramStats("on_open", 7, 2_000_000_000L))
                : List.of(new Session.ProgramStats("on_open", 0, 0));
        registry.register(new RunMetrics(new Runner.RunInfo(List.of(), List.of(), () -> stats, () -> statsOn, Runner.RunInfo.NO_QUEUE), sink,
                labels));
        registry.register(new BuildInfo(labels));
        return registry;
    }

    @Test
    void programCountsAreLeftOutNotZeroWhileTheKernelKeepsNone() throws IOException {
        Exposition off = scrape(registry(false, new OwnLabels(null)));
        assertEquals(0, off.value("bee_program_stats_enabled").orElseThrow(), off.body());
        assertTrue(off.find("bee_program_runs_total").isEmpty(), off.body());
        assertTrue(off.find("bee_program_run_time_seconds_total").isEmpty(), off.body());

        Exposition on = scrape(registry(true, new OwnLabels(null)));
        assertEquals(1, on.value("bee_program_stats_enabled").orElseThrow(), on.body());
        assertEquals(7, on.value("bee_program_runs_total", "program", "on_open").orElseThrow(), on.body());
        assertEquals(2, on.value("bee_program_run_time_seconds_total", "program", "on_open").orElseThrow(), on.body());
    }

    @Test
    void ownSeriesCarryTheNodeInAPodAndBuildInfoSaysWhatRuns() throws IOException {
        Exposition e = scrape(registry(true, new OwnLabels("node-7")));
        assertEquals(1, e.value("bee_program_stats_enabled", "node", "node-7").orElseThrow(), e.body());
        assertEquals(7, e.value("bee_program_runs_total", "program", "on_open", "node", "node-7").orElseThrow());
        Exposition.Sample info = e.find("bee_build_info").get(0);
        assertEquals(1, info.value());
        assertEquals("node-7", info.labels().get("node"));
        assertEquals(System.getProperty("os.version"), info.labels().get("kernel_release"));
        assertFalse(info.labels().get("version").isBlank());
        assertFalse(info.labels().get("libbpf_version").isBlank());

        Exposition plain = scrape(registry(true, new OwnLabels(null)));
        assertTrue(plain.find("bee_build_info").get(0).labels().get("node") == null, plain.body());
    }
}
