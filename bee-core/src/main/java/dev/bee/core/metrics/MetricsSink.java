package dev.bee.core.metrics;

import dev.bee.core.object.MapSpec;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records to Prometheus metrics, by the map's convention: {@code counter_}, {@code gauge_} and
 * {@code hist_} maps each become one metric named {@code <prefix>_<map name>} in the registry the
 * endpoint serves; {@code print_} maps are not metrics. Updates are cheap and never block (the scrape
 * reads the client library's thread-safe state), so this sink cannot stall the reader.
 */
public final class MetricsSink implements RecordSink {
    private final Map<String, MapMetric<?>> metrics = new HashMap<>();
    private String lastMap;
    private MapMetric<?> lastMetric;

    public MetricsSink(List<MapSpec> maps, MetricsOptions options, PrometheusRegistry registry) {
        for (MapSpec spec : maps) {
            boolean events = spec.type().isEvents();
            MapMetric<?> m = switch (spec.output()) {
                case COUNTER -> new CounterMetric(spec.name(), options, registry);
                case GAUGE -> new GaugeMetric(spec.name(), options, registry);
                case HIST -> events ? new HistogramMetric(spec.name(), options, registry)
                        : new BucketHistogramMetric(spec.name(), options, registry);
                case PRINT, NONE -> null;
            };
            if (m != null) {
                metrics.put(spec.name(), m);
            }
        }
    }

    /** New label sets of {@code map} dropped by the series bound so far. */
    public long droppedSeries(String map) {
        MapMetric<?> m = metrics.get(map);
        return m == null ? 0 : m.droppedSeries();
    }

    @Override
    public void write(MapRecord record) {
        // Records of one map carry the same name string: one identity check instead of a lookup per event.
        String map = record.map();
        MapMetric<?> m;
        if (map == lastMap) {
            m = lastMetric;
        } else {
            m = metrics.get(map);
            lastMap = map;
            lastMetric = m;
        }
        if (m != null) {
            m.accept(record);
        }
    }

    @Override
    public void flush() {
        // Nothing to flush: the endpoint reads the current state at each scrape.
    }
}
