package dev.bee.core.metrics;

import dev.bee.core.decode.DurationValue;
import dev.bee.core.object.MapSpec;
import dev.bee.core.sink.MapRecord;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A {@code hist_} hash map that the program fills per bucket: the key's {@code le} field is a bucket's
 * upper bound (or {@code slot} a log2 index: bound 2^slot), the value its count, the other key fields
 * labels. Each label set becomes one histogram series, and every series exposes the same cumulative
 * layout, so that {@code sum by (le)} across series and nodes is a histogram again:
 * <ul>
 * <li>{@code --hist-buckets MAP,...} given: that layout; each of the program's buckets counts in the
 * smallest layout bucket that holds its bound (a program bucket that straddles a layout bound counts
 * above it: quantiles err high, by at most one layout bucket);</li>
 * <li>else {@code slot} keys: every power of two from 2^0 to 2^63;</li>
 * <li>else {@code le} keys: the union of the bounds this run has seen, which can differ between nodes
 * (bee warns once).</li>
 * </ul>
 * +Inf holds the total. The sum of the observations is unknown (the program keeps counts only), yet
 * OpenMetrics has a histogram's {@code _count} only beside a {@code _sum}: {@code _sum} is therefore an
 * estimate, and the HELP text says so: each of the program's buckets' count times its upper bound, the
 * most the true sum can be. The client library's instruments observe single values and cannot take
 * counts per bucket, hence a collector of bee's own over the client's snapshot model.
 */
final class BucketHistogramMetric extends MapMetric<ConcurrentSkipListMap<Double, Long>> implements Collector {
    private static final Logger LOG = LoggerFactory.getLogger(BucketHistogramMetric.class);
    private static final Set<String> BUCKET_FIELDS = Set.of("le", "slot");
    /** Highest log2 slot of the full layout: 2^63 is past any u64 value. */
    static final int MAX_SLOT = 63;

    private final Map<List<String>, ConcurrentSkipListMap<Double, Long>> published = new ConcurrentHashMap<>();
    /** Bounds seen so far, the layout of {@code le} keys without --hist-buckets. */
    private final ConcurrentSkipListSet<Double> seen = new ConcurrentSkipListSet<>();
    private volatile String[] labelNames;
    /** The fixed layout (given, or log2), or null for the bounds seen. */
    private volatile double[] layout;
    private boolean bySlot;

    BucketHistogramMetric(MapSpec spec, String name, MapOrigin origin, MetricsOptions options,
                          PrometheusRegistry registry) {
        super(spec, name, origin, options, registry);
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

    /** The bounds are durations: a {@code duration} le, or a map named {@code *_ns}. */
    @Override
    boolean durations(MapRecord first) {
        return first.key().get("le") instanceof DurationValue || map.endsWith("_ns");
    }

    @Override
    boolean valueIsDuration() {
        return false; // the value is a count
    }

    @Override
    String kind() {
        return "histogram";
    }

    @Override
    String valueDescription() {
        String layoutText = layout == null ? "buckets are the le values seen (may differ between nodes)"
                : bySlot && options.bucketsGiven(map) == null ? "buckets are every power of two" : "buckets from --hist-buckets";
        return "counts per bucket kept by the program (key field " + (bySlot ? "slot" : "le") + "); " + layoutText
                + "; _sum is an estimate, not measured: each bucket's count times its upper bound (the most the true"
                + " sum can be)";
    }

    @Override
    void register(String[] names) {
        labelNames = names;
        registry.register(this);
    }

    /** Chooses the layout from the first record's key. */
    @Override
    void prepare(MapRecord first) {
        bySlot = first.key().get("le") == null && first.key().get("slot") != null;
        double[] given = options.bucketsGiven(map);
        if (given != null) {
            layout = given;
        } else if (bySlot) {
            double[] log2 = new double[MAX_SLOT + 1];
            for (int i = 0; i <= MAX_SLOT; i++) {
                log2[i] = scaled(Math.scalb(1.0, i));
            }
            layout = log2;
        } else {
            LOG.warn("{}: the histogram's buckets are the le values this run has seen, which can differ between"
                    + " nodes and over time; give --hist-buckets {},B1,B2,... for a layout that is the same"
                    + " everywhere, so that sum by (le) adds up across nodes", map, map);
        }
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
            Double key = bound; // one box for both (a changed entry, not an event: polled maps only)
            buckets.put(key, (long) Math.max(0, value));
            if (layout == null) {
                seen.add(key);
            }
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

    /** The record's bucket bound, in the metric's unit; NaN if it has none. */
    private double bound(MapRecord r) {
        Object le = r.key().get("le");
        if (le != null) {
            return scaled(number(le));
        }
        double slot = number(r.key().get("slot"));
        return Double.isNaN(slot) || slot < 0 || slot > 1023 ? Double.NaN : scaled(Math.scalb(1.0, (int) slot));
    }

    private double scaled(double bound) {
        return seconds ? bound / NANOS_PER_SECOND : bound;
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
            double[] bounds = bounds();
            for (Map.Entry<List<String>, ConcurrentSkipListMap<Double, Long>> e : published.entrySet()) {
                points.add(new HistogramSnapshot.HistogramDataPointSnapshot(
                        ClassicHistogramBuckets.of(bounds, rebinned(bounds, e.getValue())), upperSum(e.getValue()),
                        Labels.of(names, e.getKey().toArray(new String[0])), Exemplars.EMPTY, 0L));
            }
        }
        Unit unit = seconds ? Unit.SECONDS : null;
        return new HistogramSnapshot(new MetricMetadata(name, help, unit), points);
    }

    /** The layout's finite bounds and +Inf. */
    private double[] bounds() {
        double[] fixed = layout;
        double[] finite = fixed != null ? fixed
                : seen.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        double[] out = Arrays.copyOf(finite, finite.length + 1);
        out[finite.length] = Double.POSITIVE_INFINITY;
        return out;
    }

    /** The estimated sum: each of the program's buckets' count times its upper bound. */
    static double upperSum(Map<Double, Long> buckets) {
        double sum = 0;
        for (Map.Entry<Double, Long> b : buckets.entrySet()) {
            if (b.getValue() > 0) {
                sum += b.getKey() * b.getValue();
            }
        }
        return sum;
    }

    /**
     * The program's counts per bucket in the layout's buckets (not cumulative): each in the first layout
     * bucket whose bound is at least the program's, the rest in +Inf.
     */
    static long[] rebinned(double[] bounds, Map<Double, Long> buckets) {
        long[] counts = new long[bounds.length];
        for (Map.Entry<Double, Long> b : buckets.entrySet()) {
            int i = Arrays.binarySearch(bounds, b.getKey());
            counts[i >= 0 ? i : Math.min(-i - 1, bounds.length - 1)] += b.getValue();
        }
        return counts;
    }
}
