package dev.bee.core.metrics;

import dev.bee.core.object.MapSpec;
import dev.bee.core.sink.MapRecord;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.List;

/**
 * A {@code gauge_} map: each entry sets its series to the map's value (an entry that leaves the map
 * leaves the metric); each event sets its series to the event's value field ({@code --gauge-value-key},
 * else the last numeric field), the other fields being labels.
 */
final class GaugeMetric extends MapMetric<GaugeDataPoint> {
    private Gauge gauge;

    GaugeMetric(MapSpec spec, String name, MapOrigin origin, MetricsOptions options, PrometheusRegistry registry) {
        super(spec, name, origin, options, registry);
    }

    @Override
    String defaultValueField(MapRecord first, List<String> fields) {
        if (first.kind() != MapRecord.Kind.EVENT && fields.contains("value") && fields.size() == 1) {
            return "value";
        }
        return lastNumeric(first.value());
    }

    @Override
    void register(String[] labelNames) {
        Gauge.Builder b = Gauge.builder().name(name).help(help).labelNames(labelNames).withoutExemplars();
        gauge = (seconds ? b.unit(Unit.SECONDS) : b).register(registry);
    }

    @Override
    String kind() {
        return "gauge";
    }

    @Override
    GaugeDataPoint newSeries(List<String> labels) {
        return gauge.labelValues(labels.toArray(new String[0]));
    }

    @Override
    void update(GaugeDataPoint point, List<String> labels, MapRecord r, double value) {
        point.set(value);
    }

    @Override
    boolean removed(GaugeDataPoint point, List<String> labels, MapRecord r) {
        gauge.remove(labels.toArray(new String[0]));
        return true;
    }
}
