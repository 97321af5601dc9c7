package dev.bee.core.metrics;

import dev.bee.core.object.MapSpec;
import dev.bee.core.sink.MapRecord;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.List;

/**
 * A {@code counter_} map. Events add one each. Entries follow the map's value: the series grows by the
 * difference from the last value seen; a value that went down (the entry was deleted and re-created, or
 * the program reset it) restarts the series at the new value, which Prometheus reads as a counter reset,
 * never as a negative rate. Exposed with the {@code _total} suffix that OpenMetrics requires.
 */
final class CounterMetric extends MapMetric<CounterMetric.Series> {
    static final class Series {
        CounterDataPoint point;
        double last;
    }

    private Counter counter;

    CounterMetric(MapSpec spec, String name, MapOrigin origin, MetricsOptions options, PrometheusRegistry registry) {
        super(spec, name, origin, options, registry);
    }

    @Override
    String defaultValueField(MapRecord first, List<String> fields) {
        if (first.kind() == MapRecord.Kind.EVENT) {
            return null;
        }
        return fields.contains("value") && fields.size() == 1 ? "value" : lastNumeric(first.value());
    }

    @Override
    void register(String[] labelNames) {
        Counter.Builder b = Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars();
        counter = (seconds ? b.unit(Unit.SECONDS) : b).register(registry);
    }

    @Override
    String kind() {
        return "counter";
    }

    @Override
    String valueDescription() {
        return valueField == null ? "+1 per event" : "follows the map's value field " + valueField;
    }

    @Override
    Series newSeries(List<String> labels) {
        Series s = new Series();
        s.point = counter.labelValues(labels.toArray(new String[0]));
        return s;
    }

    @Override
    void update(Series s, List<String> labels, MapRecord r, double value) {
        if (r.kind() == MapRecord.Kind.EVENT) {
            s.point.inc();
            return;
        }
        double v = Math.max(0, value);
        if (v >= s.last) {
            s.point.inc(v - s.last);
        } else {
            String[] l = labels.toArray(new String[0]);
            counter.remove(l);
            s.point = counter.labelValues(l);
            s.point.inc(v);
        }
        s.last = v;
    }

    @Override
    boolean removed(Series s, List<String> labels, MapRecord r) {
        counter.remove(labels.toArray(new String[0]));
        return true;
    }
}
