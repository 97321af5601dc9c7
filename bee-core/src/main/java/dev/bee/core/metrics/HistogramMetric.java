package dev.bee.core.metrics;

import dev.bee.core.object.MapSpec;
import dev.bee.core.sink.MapRecord;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * A {@code hist_} ring buffer or perf buffer: one observation per event of its value field
 * ({@code --hist-value-key}, else {@code le} as in BumbleBee, else the last numeric field), the other fields
 * being labels, into classic buckets from {@code --hist-buckets} (else a default for seconds or BumbleBee's),
 * the same layout for every series.
 */
final class HistogramMetric extends MapMetric<DistributionDataPoint> {
    private static final Logger LOG = LoggerFactory.getLogger(HistogramMetric.class);
    private Histogram histogram;

    HistogramMetric(MapSpec spec, String name, MapOrigin origin, MetricsOptions options, PrometheusRegistry registry) {
        super(spec, name, origin, options, registry);
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
        double[] bounds = options.bucketsFor(map, seconds);
        if (seconds && options.bucketsGiven(map) != null && bounds[bounds.length - 1] >= 1000) {
            LOG.warn("{}: --hist-buckets are in seconds here, as the metric is ({}); bounds up to {} s look like"
                    + " nanoseconds (--metric-names bumblebee keeps nanoseconds)", map, name, bounds[bounds.length - 1]);
        }
        Histogram.Builder b = Histogram.builder().name(name).help(help).labelNames(labelNames)
                .classicOnly().classicUpperBounds(bounds).withoutExemplars();
        histogram = (seconds ? b.unit(Unit.SECONDS) : b).register(registry);
    }

    @Override
    String kind() {
        return "histogram";
    }

    @Override
    String valueDescription() {
        return "observes value field " + valueField + " of each event";
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
