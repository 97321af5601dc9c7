package dev.bee.core.metrics;

import dev.bee.core.sink.MapRecord;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@code hist_} hash map that the program fills per bucket: the key's {@code le} field is a bucket's
 * upper bound (or {@code slot} a log2 index: bound 2^slot), the value its count, the other key fields
 * labels. Each label set becomes one histogram series, with the buckets the map has (and +Inf holding
 * the total); its sum is unknown, so none is exposed. The instruments of the client library observe
 * single values and cannot take counts per bucket, hence a collector of bee's own over the client's
 * snapshot model.
 */
final class BucketHistogramMetric extends MapMetric<ConcurrentSkipListMap<Double, Long>> implements Collector {
    private static final Set<String> BUCKET_FIELDS = Set.of("le", "slot");

    private final Map<List<String>, ConcurrentSkipListMap<Double, Long>> published = new ConcurrentHashMap<>();
    private volatile String[] labelNames;

    BucketHistogramMetric(String map, MetricsOptions options, PrometheusRegistry registry) {
        super(map, options, registry);
    }

    @Override
    String defaultValueField(MapRecord first, List<String> fields) {
        return fields.contains("value") && fields.size() == 1 ? "value" : lastNumeric(first.value());
    }

    @Override
    Set<String> excludedKeyFields() {
        return BUCKET_FIELDS;
    }

    @Override
    Set<String> reservedLabels() {
        return Set.of("le");
    }

    @Override
    void register(String[] names) {
        labelNames = names;
        registry.register(this);
    }

    @Override
    ConcurrentSkipListMap<Double, Long> newSeries(List<String> labels) {
        ConcurrentSkipListMap<Double, Long> buckets = new ConcurrentSkipListMap<>();
        published.put(labels, buckets);
        return buckets;
    }

    @Override
    void update(ConcurrentSkipListMap<Double, Long> buckets, List<String> labels, MapRecord r, double value) {
        double bound = bound(r);
        if (!Double.isNaN(bound)) {
            buckets.put(bound, (long) Math.max(0, value));
        }
    }

    @Override
    boolean removed(ConcurrentSkipListMap<Double, Long> buckets, List<String> labels, MapRecord r) {
        buckets.remove(bound(r));
        if (buckets.isEmpty()) {
            published.remove(labels);
            return true;
        }
        return false;
    }

    private static double bound(MapRecord r) {
        Object le = r.key().get("le");
        if (le != null) {
            return number(le);
        }
        double slot = number(r.key().get("slot"));
        return Double.isNaN(slot) || slot < 0 || slot > 1023 ? Double.NaN : Math.scalb(1.0, (int) slot);
    }

    @Override
    public String getPrometheusName() {
        return name;
    }

    @Override
    public MetricSnapshot collect() {
        String[] names = labelNames;
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
        if (names != null) {
            for (Map.Entry<List<String>, ConcurrentSkipListMap<Double, Long>> e : published.entrySet()) {
                List<Map.Entry<Double, Long>> buckets = new ArrayList<>(e.getValue().entrySet());
                double[] bounds = new double[buckets.size() + 1];
                long[] counts = new long[buckets.size() + 1];
                for (int i = 0; i < buckets.size(); i++) {
                    bounds[i] = buckets.get(i).getKey();
                    counts[i] = buckets.get(i).getValue();
                }
                bounds[buckets.size()] = Double.POSITIVE_INFINITY;
                if (bounds.length > 1 && bounds[bounds.length - 2] == Double.POSITIVE_INFINITY) {
                    continue; // a bucket keyed +Inf would repeat the last bound
                }
                points.add(new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, counts),
                        Double.NaN, Labels.of(names, e.getKey().toArray(new String[0])), Exemplars.EMPTY, 0L));
            }
        }
        return new HistogramSnapshot(new MetricMetadata(name, help("histogram (counts per bucket)")), points);
    }
}
