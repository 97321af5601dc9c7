package dev.bee.core.metrics;

import dev.bee.core.decode.DecodedFields;
import dev.bee.core.decode.DurationValue;
import dev.bee.core.object.MapSpec;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.TextLinesSink;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric of one map: which fields are labels and which holds the observed value (decided from the
 * first record, as the decoder lays them out), its name and unit (durations in seconds under bee's
 * naming), one series per distinct label set up to {@link MetricsOptions#maxSeries()}, and what a record
 * does to its series (the subclasses). Records of events label by the event's fields, entries by the
 * key's fields. Called on the watcher thread only; what the subclasses publish is read by the scrape
 * thread.
 *
 * @param <S> what one series keeps (an instrument's data point, or the subclass's own state)
 */
abstract class MapMetric<S> {
    private static final Logger LOG = LoggerFactory.getLogger(MapMetric.class);
    static final double NANOS_PER_SECOND = 1e9;

    final MapSpec spec;
    final String map;
    final MetricsOptions options;
    final PrometheusRegistry registry;
    private final String baseName;
    private final MapOrigin origin;
    /** The metric's name and HELP text, and whether durations are in seconds: set from the first record. */
    String name;
    String help;
    boolean seconds;
    /** Divides each value into seconds (durations under bee's naming). */
    private boolean valueInSeconds;
    /**
     * Series by the label fields' decoded values, so an event renders no text: the labels' text is made
     * once, when a series starts. Looked up through one reused key: an event allocates nothing here.
     */
    private final Map<LabelKey, Series<S>> series = new HashMap<>();
    private LabelKey probe;
    private String[] labelFields;
    private int[] labelIndexes;
    String valueField;
    private int valueIndex = -1;
    private boolean warnedNotNumber;
    private boolean broken;
    private volatile long droppedSeries;

    MapMetric(MapSpec spec, String baseName, MapOrigin origin, MetricsOptions options, PrometheusRegistry registry) {
        this.spec = spec;
        this.map = spec.name();
        this.baseName = baseName;
        this.origin = origin;
        this.name = baseName;
        this.options = options;
        this.registry = registry;
    }

    /** The field that holds the value by default, or null when records carry none (counting events). */
    abstract String defaultValueField(MapRecord first, List<String> fields);

    /** Key fields that are neither labels nor the value (a histogram's bucket bound). */
    Set<String> excludedKeyFields() {
        return Set.of();
    }

    /** Label names the metric type reserves. */
    Set<String> reservedLabels() {
        return Set.of();
    }

    /** Registers the instrument once the label names, {@link #name} and {@link #help} are known. */
    abstract void register(String[] labelNames);

    /** What the metric is, for the HELP text: "counter", "histogram", ... */
    abstract String kind();

    /**
     * Whether the exported values are durations: the value field is a {@code duration}, or its name or the
     * map's ends in {@code _ns}. A histogram counted per bucket overrides this (its bounds are the durations).
     */
    boolean durations(MapRecord first) {
        if (valueField == null) {
            return false;
        }
        return field(first.value(), valueIndex, valueField) instanceof DurationValue || valueField.endsWith("_ns")
                || map.endsWith("_ns");
    }

    /** Decides what else the first record tells, once the unit is known (before the HELP text and registering). */
    void prepare(MapRecord first) {
    }

    /** Whether the record's value is the duration (false where it is a count and the bucket bound is). */
    boolean valueIsDuration() {
        return true;
    }

    /** Starts a series for a new label set. */
    abstract S newSeries(List<String> labels);

    /** Applies a record to its series. */
    abstract void update(S series, List<String> labels, MapRecord r, double value);

    /** An entry left the map; returns whether its series is gone too (then it leaves the exposition). */
    abstract boolean removed(S series, List<String> labels, MapRecord r);

    /** New label sets dropped because of the series bound (bee_map_series_dropped_total). */
    long droppedSeries() {
        return droppedSeries;
    }

    final void accept(MapRecord r) {
        if (r.kind() == MapRecord.Kind.ITER || broken) {
            return;
        }
        if (labelFields == null) {
            if (r.kind() == MapRecord.Kind.REMOVED) {
                return;
            }
            if (!init(r)) {
                return;
            }
        }
        LabelKey key = probe.of(r.kind() == MapRecord.Kind.EVENT ? r.value() : r.key(), labelIndexes, labelFields);
        if (r.kind() == MapRecord.Kind.REMOVED) {
            Series<S> s = series.get(key);
            if (s != null && removed(s.state(), s.labels(), r)) {
                series.remove(key);
            }
            return;
        }
        double value = valueField == null ? 1 : number(field(r.value(), valueIndex, valueField));
        if (valueInSeconds) {
            value /= NANOS_PER_SECOND; // division by 1e9 rounds 1000 ns to exactly 1e-6, as a bound written 1e-6
        }
        if (Double.isNaN(value)) {
            if (!warnedNotNumber) {
                warnedNotNumber = true;
                LOG.warn("{}: field {} is not a number ({}); such records are not in the metric", map, valueField,
                        TextLinesSink.text(field(r.value(), valueIndex, valueField)));
            }
            return;
        }
        Series<S> s = series.get(key);
        if (s == null) {
            if (series.size() >= options.maxSeries()) {
                if (droppedSeries++ == 0) {
                    LOG.warn("{}: more than {} label sets; new ones are dropped and counted in "
                            + "bee_map_series_dropped_total (raise --max-series)", map, options.maxSeries());
                }
                return;
            }
            List<String> labels = Arrays.stream(key.values).map(TextLinesSink::text).toList();
            s = new Series<>(newSeries(labels), labels);
            series.put(key.copy(), s);
        }
        update(s.state(), s.labels(), r, value);
    }

    /** One series: what the subclass keeps, and its label values as text. */
    private record Series<S>(S state, List<String> labels) {
    }

    /** A label set's decoded values, with their hash computed once per fill. */
    private static final class LabelKey {
        final Object[] values;
        int hash;

        LabelKey(Object[] values, int hash) {
            this.values = values;
            this.hash = hash;
        }

        /** This key, refilled from {@code fields}. */
        LabelKey of(Map<String, Object> fields, int[] indexes, String[] names) {
            int h = 1;
            for (int i = 0; i < values.length; i++) {
                Object v = field(fields, indexes[i], names[i]);
                values[i] = v;
                h = 31 * h + (v == null ? 0 : v.hashCode());
            }
            hash = h;
            return this;
        }

        LabelKey copy() {
            return new LabelKey(values.clone(), hash);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LabelKey k && k.hash == hash && Arrays.equals(k.values, values);
        }
    }

    /** Decides labels, value, name and unit from the first record and registers; false if that failed. */
    private boolean init(MapRecord first) {
        boolean event = first.kind() == MapRecord.Kind.EVENT;
        List<String> valueFields = new ArrayList<>(first.value().keySet());
        String chosen = options.valueKeys().get(map);
        if (chosen != null && !valueFields.contains(chosen)) {
            LOG.warn("{}: no field '{}' holds a value (fields: {}); using the default", map, chosen,
                    String.join(", ", valueFields));
            chosen = null;
        }
        valueField = chosen != null ? chosen : defaultValueField(first, valueFields);
        valueIndex = valueFields.indexOf(valueField);
        // Events label by their fields except the value; entries by their key's fields except a bucket bound.
        List<String> source = new ArrayList<>(event ? first.value().keySet() : first.key().keySet());
        List<String> labels = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            String f = source.get(i);
            boolean label = event ? !f.equals(valueField) : !excludedKeyFields().contains(f);
            if (label) {
                labels.add(f);
                indexes.add(i);
            }
        }
        String[] labelNames = LabelNames.of(labels, reservedLabels()).toArray(new String[0]);
        seconds = options.naming().baseUnits() && durations(first);
        valueInSeconds = seconds && valueIsDuration();
        name = seconds ? MetricNaming.seconds(baseName) : baseName;
        prepare(first);
        help = help(labelNames);
        try {
            String family = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
            if (RunMetrics.NAMES.contains(family) || family.equals(BuildInfo.NAME)) {
                throw new IllegalArgumentException("one of bee's own metrics is named so (choose another --metrics-prefix)");
            }
            register(labelNames);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A name another map's metric took, or one the client library refuses: this map has no metric.
            broken = true;
            LOG.warn("{}: no metric {}: {}", map, name, e.getMessage());
            return false;
        }
        labelFields = labels.toArray(new String[0]);
        labelIndexes = indexes.stream().mapToInt(Integer::intValue).toArray();
        probe = new LabelKey(new Object[labelFields.length], 0);
        return true;
    }

    /** A field by its position in the decoder's layout (no search per event), else by name. */
    static Object field(Map<String, Object> fields, int index, String name) {
        if (fields instanceof DecodedFields d && index >= 0 && index < d.size() && d.name(index).equals(name)) {
            return d.value(index);
        }
        return fields.get(name);
    }

    /** The last field whose value is a number, or null. */
    static String lastNumeric(Map<String, Object> fields) {
        String last = null;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!Double.isNaN(number(e.getValue()))) {
                last = e.getKey();
            }
        }
        return last;
    }

    /** A decoded value as a number (durations in nanoseconds, booleans 0 or 1); NaN if it is not one. */
    static double number(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof DurationValue d) {
            return d.nanos();
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }

    /**
     * The HELP text: what the metric is, the map and where it comes from, its labels and its value, e.g.
     * "counter of eBPF map counter_opens (hash, key struct key_t, value u64) in open.o (program on_open):
     * one series per comm; follows the map's value field value", naming the programs whose code uses the map.
     */
    private String help(String[] labelNames) {
        StringBuilder b = new StringBuilder(kind()).append(" of eBPF map ").append(map).append(" (")
                .append(spec.type().name().toLowerCase(java.util.Locale.ROOT));
        if (spec.keyType() != null) {
            b.append(", key ").append(spec.keyType());
        }
        if (spec.valueType() != null) {
            b.append(", value ").append(spec.valueType());
        }
        b.append(") in ").append(origin.text(map)).append(": ");
        b.append(labelNames.length == 0 ? "one series" : "one series per " + String.join(", ", labelNames));
        String what = valueDescription();
        if (what != null) {
            b.append("; ").append(what);
        }
        if (seconds) {
            b.append(", in seconds");
        }
        return b.toString();
    }

    /** What the value is, for the HELP text, or null to say nothing. */
    String valueDescription() {
        return valueField == null ? "one per event" : "value field " + valueField;
    }
}
