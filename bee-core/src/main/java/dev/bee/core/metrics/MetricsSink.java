package dev.bee.core.metrics;

import dev.bee.core.object.MapSpec;
import dev.bee.core.object.OutputKind;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.RecordSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records to Prometheus metrics, by the map's convention: {@code counter_}, {@code gauge_} and
 * {@code hist_} maps each become one metric in the registry the endpoint serves, named by
 * {@link MetricNaming} ({@code <prefix>_<map name>} for BumbleBee, without the convention word and with a
 * unit for bee); {@code print_} maps are not metrics. Updates are cheap and never block (the scrape
 * reads the client library's thread-safe state), so this sink cannot stall the reader.
 */
public final class MetricsSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSink.class);
    private final Map<String, MapMetric<?>> metrics = new HashMap<>();
    private String lastMap;
    private MapMetric<?> lastMetric;

    public MetricsSink(List<MapSpec> maps, MapOrigin origin, MetricsOptions options, PrometheusRegistry registry) {
        Map<String, String> names = names(maps, options);
        for (MapSpec spec : maps) {
            boolean events = spec.type().isEvents();
            String name = names.get(spec.name());
            MapMetric<?> m = switch (spec.output()) {
                case COUNTER -> new CounterMetric(spec, name, origin, options, registry);
                case GAUGE -> new GaugeMetric(spec, name, origin, options, registry);
                case HIST -> events ? new HistogramMetric(spec, name, origin, options, registry)
                        : new BucketHistogramMetric(spec, name, origin, options, registry);
                case PRINT, NONE -> null;
            };
            if (m != null) {
                metrics.put(spec.name(), m);
            }
        }
    }

    /**
     * Each metric map's name (before a unit suffix). Maps whose names would collide once the convention word
     * is left out ({@code counter_x} and {@code gauge_x}) keep their full map names.
     */
    static Map<String, String> names(List<MapSpec> maps, MetricsOptions options) {
        List<MapSpec> metricMaps = maps.stream().filter(m -> m.output() == OutputKind.COUNTER
                || m.output() == OutputKind.GAUGE || m.output() == OutputKind.HIST).toList();
        Map<String, Integer> uses = new HashMap<>();
        for (MapSpec spec : metricMaps) {
            uses.merge(options.metricName(spec.name()), 1, Integer::sum);
        }
        Map<String, String> out = new HashMap<>();
        for (MapSpec spec : metricMaps) {
            String name = options.metricName(spec.name());
            if (uses.get(name) > 1) {
                name = options.prefix().isEmpty() ? spec.name() : options.prefix() + "_" + spec.name();
                LOG.warn("{}: another map's metric would also be named {}; this one is named {}",
                        spec.name(), options.metricName(spec.name()), name);
            }
            out.put(spec.name(), name);
        }
        return out;
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
