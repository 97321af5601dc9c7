package dev.bee.core.metrics;

import dev.bee.core.runtime.Session;
import dev.bee.core.watch.MapStats;
import dev.bee.core.watch.Runner;
import dev.bee.core.watch.Watcher;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * bee's own metrics beside the program's, read at each scrape from the run's live counts: per map the
 * records read, filtered, lost (only where losses are counted: {@code bee_map_loss_counted} says which,
 * so an absent count reads as unknown, never as 0), lost in bee's own event queue (always counted, apart
 * from the kernel's), times a ring buffer was found full, malformed,
 * label sets dropped by the series bound, and for polled maps the polls that could not read the whole map
 * and the entries beyond what bee tracks; per program the kernel's run count and run time, only while the
 * kernel keeps them ({@code bee_program_stats_enabled} says whether: without CAP_SYS_ADMIN it does not,
 * and its counts would be a false 0); the event queue's size, use and peak. Each series carries
 * {@link OwnLabels}' node label in a pod.
 */
public final class RunMetrics implements MultiCollector {
    private final Runner.RunInfo run;
    private final MetricsSink sink;
    private final OwnLabels labels;

    public RunMetrics(Runner.RunInfo run, MetricsSink sink, OwnLabels labels) {
        this.run = run;
        this.sink = sink;
        this.labels = labels;
    }

    /** The names of these metrics (without {@code _total}), which no map's metric may take. */
    static final List<String> NAMES = List.of("bee_map_records", "bee_map_filtered", "bee_map_lost",
            "bee_map_queue_lost", "bee_queue_capacity_bytes", "bee_queue_used_bytes", "bee_queue_peak_bytes",
            "bee_map_loss_counted", "bee_map_ring_full", "bee_map_malformed", "bee_map_series_dropped",
            "bee_map_polls_unfinished", "bee_map_untracked_entries", "bee_program_stats_enabled", "bee_program_runs",
            "bee_program_run_time_seconds");

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(mapCounter("bee_map_records", "records read from the map (events, or changed entries)",
                run.maps(), MapStats::records));
        out.add(mapCounter("bee_map_filtered", "records --filter left out", run.maps(), MapStats::filtered));
        out.add(mapCounter("bee_map_lost", "events the kernel dropped before bee read them, where counted",
                run.maps().stream().filter(MapStats::lossCounted).toList(), MapStats::lost));
        List<MapStats> events = run.maps().stream()
                .filter(s -> s.source().equals("ring buffer") || s.source().equals("perf buffer")).toList();
        out.add(mapCounter("bee_map_queue_lost", "events bee took out of the kernel's buffer but had no room for in "
                + "its queue behind a slower output (--queue-size); not in bee_map_lost", events, MapStats::queueLost));
        Watcher.QueueUsage queue = run.queue().get();
        out.add(gauge("bee_queue_capacity_bytes", "bytes of the queue between taking events out of the kernel and "
                + "decoding them (--queue-size)", queue.capacity()));
        out.add(gauge("bee_queue_used_bytes", "bytes of events waiting in the queue to be decoded", queue.used()));
        out.add(gauge("bee_queue_peak_bytes", "the most bytes of events the queue has held at once", queue.peak()));
        List<GaugeSnapshot.GaugeDataPointSnapshot> counted = new ArrayList<>();
        for (MapStats s : run.maps()) {
            counted.add(new GaugeSnapshot.GaugeDataPointSnapshot(s.lossCounted() ? 1 : 0, labels.of("map", s.map()),
                    null));
        }
        out.add(new GaugeSnapshot(new MetricMetadata("bee_map_loss_counted",
                "bee: 1 if bee_map_lost counts every lost event of the map, 0 if losses are unknown (ring buffers whose program does not count them)"),
                counted));
        out.add(mapCounter("bee_map_ring_full", "times the reader found the ring buffer too full for another event "
                + "(events may have been lost then)", run.maps().stream().filter(MapStats::ringWatched).toList(),
                MapStats::ringFull));
        out.add(mapCounter("bee_map_malformed", "records whose bytes did not match the declared type", run.maps(),
                MapStats::malformed));
        out.add(mapCounter("bee_map_series_dropped", "new label sets dropped by --max-series", run.maps(),
                s -> sink.droppedSeries(s.map())));
        List<MapStats> polled = run.maps().stream().filter(s -> s.source().equals("polled")).toList();
        out.add(mapCounter("bee_map_polls_unfinished", "polls that stopped before the end of the map (bounded work "
                + "per poll), so its changes show later", polled, MapStats::pollsUnfinished));
        List<GaugeSnapshot.GaugeDataPointSnapshot> untracked = new ArrayList<>();
        for (MapStats s : polled) {
            untracked.add(new GaugeSnapshot.GaugeDataPointSnapshot(s.untracked(), labels.of("map", s.map()), null));
        }
        out.add(new GaugeSnapshot(new MetricMetadata("bee_map_untracked_entries",
                "bee: entries of the map beyond what bee keeps track of, not shown (at its last whole pass)"),
                untracked));
        boolean statsOn = run.programStatsOn().getAsBoolean();
        out.add(new GaugeSnapshot(new MetricMetadata("bee_program_stats_enabled", "bee: 1 if the kernel counts the"
                + " programs' runs and run time (bee_program_runs_total, bee_program_run_time_seconds_total), 0 if not"
                + " (bee lacks CAP_SYS_ADMIN and sysctl kernel.bpf_stats_enabled is 0): then those counts are left out,"
                + " not 0"), List.of(new GaugeSnapshot.GaugeDataPointSnapshot(statsOn ? 1 : 0, labels.of(), null))));
        if (statsOn) {
            List<CounterSnapshot.CounterDataPointSnapshot> runs = new ArrayList<>();
            List<CounterSnapshot.CounterDataPointSnapshot> time = new ArrayList<>();
            for (Session.ProgramStats p : run.programStats().get()) {
                Labels l = labels.of("program", p.program());
                runs.add(new CounterSnapshot.CounterDataPointSnapshot(p.runCount(), l, null, 0L));
                time.add(new CounterSnapshot.CounterDataPointSnapshot(p.runTimeNanos() / 1e9, l, null, 0L));
            }
            out.add(new CounterSnapshot(new MetricMetadata("bee_program_runs",
                    "bee: times the kernel ran the program while its statistics were on"), runs));
            out.add(new CounterSnapshot(new MetricMetadata("bee_program_run_time_seconds",
                    "bee: time the kernel spent in the program while its statistics were on", Unit.SECONDS), time));
        }
        return new MetricSnapshots(out);
    }

    private GaugeSnapshot gauge(String name, String help, long value) {
        return new GaugeSnapshot(new MetricMetadata(name, "bee: " + help, Unit.BYTES),
                List.of(new GaugeSnapshot.GaugeDataPointSnapshot(value, labels.of(), null)));
    }

    private CounterSnapshot mapCounter(String name, String help, List<MapStats> maps, ToLongFunction<MapStats> value) {
        List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>();
        for (MapStats s : maps) {
            points.add(new CounterSnapshot.CounterDataPointSnapshot(value.applyAsLong(s), labels.of("map", s.map()),
                    null, 0L));
        }
        return new CounterSnapshot(new MetricMetadata(name, "bee: " + help), points);
    }
}
