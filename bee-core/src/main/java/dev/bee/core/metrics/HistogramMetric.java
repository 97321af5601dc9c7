package dev.bee.core.metrics;

import dev.bee.core.sink.MapRecord;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.List;
import java.util.Set;

/**
 * A {@code hist_} ring buffer or perf buffer: one observation per event of its value field
 * ({@code --hist-value-key}, else {@code le} as in BumbleBee, else the last numeric field), the other fields
 * being labels, into classic buckets from {@code --hist-buckets}.
 */
final class HistogramMetric extends MapMetric<DistributionDataPoint> {
    private Histogram histogram;

    HistogramMetric(String map, MetricsOptions options, PrometheusRegistry registry) {
        super(map, options, registry);
    }

    @Override
    String defaultValueField(MapRecord first, List<String> fields) {
        return fields.contains("le") ? "le" : lastNumeric(first.value());
    }

    @Override
    Set<String> reservedLabels() {
        return Set.of("le");
    }

    @Override
    void register(String[] labelNames) {
        histogram = Histogram.builder().name(name).help(help("histogram")).labelNames(labelNames)
                .classicOnly().classicUpperBounds(options.bucketsFor(map)).withoutExemplars().register(registry);
    }

    @Override
    DistributionDataPoint newSeries(List<String> labels) {
        return histogram.labelValues(labels.toArray(new String[0]));
    }

    @Override
    void update(DistributionDataPoint point, List<String> labels, MapRecord r, double value) {
        point.observe(value);
    }

    @Override
    boolean removed(DistributionDataPoint point, List<String> labels, MapRecord r) {
        return false; // events are never removed
    }
}
