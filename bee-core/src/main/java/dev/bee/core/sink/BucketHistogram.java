package dev.bee.core.sink;

import dev.bee.core.decode.DurationValue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One label set of a {@code hist_} map the program fills per bucket: the entries' buckets (an {@code le}
 * upper bound, or 2^{@code slot}) and counts, as {@link HistogramPicture} draws them. What the text output's
 * {@link HistogramPicturesSink} and the live screen share.
 *
 * @param map       the map's name
 * @param labels    the other key fields, as {@code name=value ...}
 * @param durations whether bounds are durations in nanoseconds (a duration {@code le}, or a map {@code *_ns})
 * @param counts    bucket upper bound to count
 */
public record BucketHistogram(String map, String labels, boolean durations, SortedMap<Double, Long> counts) {

    /** An empty histogram for the label set of {@code entry}. */
    public static BucketHistogram of(MapRecord entry) {
        return new BucketHistogram(entry.map(), labels(entry.key()),
                entry.key().get("le") instanceof DurationValue || entry.map().endsWith("_ns"), new TreeMap<>());
    }

    /** The histograms of {@code entries} (one per label set, in first-seen order); entries with no bucket are left out. */
    public static List<BucketHistogram> group(List<MapRecord> entries) {
        Map<String, BucketHistogram> byLabels = new java.util.LinkedHashMap<>();
        for (MapRecord r : entries) {
            double bound = bound(r.key());
            if (!Double.isNaN(bound)) {
                byLabels.computeIfAbsent(labels(r.key()), l -> of(r)).counts().put(bound, count(r.value()));
            }
        }
        return new ArrayList<>(byLabels.values());
    }

    /** Sets the bucket of {@code entry} (a new or changed entry) or removes it (an entry that left the map). */
    public void apply(MapRecord entry) {
        double bound = bound(entry.key());
        if (entry.kind() == MapRecord.Kind.REMOVED) {
            counts.remove(bound);
        } else {
            counts.put(bound, Math.max(0, count(entry.value())));
        }
    }

    /** The picture's lines (see {@link HistogramPicture#lines}); empty when every count is 0. */
    public List<String> picture(int barWidth) {
        return HistogramPicture.lines(layout(), durations, barWidth);
    }

    /**
     * The buckets to draw. A log2 histogram (every bound a power of two, as 2^slot always is) has its
     * missing powers of two as empty buckets, from half the lowest bound up, so that no range spans a gap
     * and the lowest one has its lower end.
     */
    SortedMap<Double, Long> layout() {
        if (counts.isEmpty() || !counts.keySet().stream().allMatch(BucketHistogram::powerOfTwo)) {
            return counts;
        }
        SortedMap<Double, Long> all = new TreeMap<>(counts);
        for (double b = Math.max(1, counts.firstKey() / 2); b < counts.lastKey(); b *= 2) {
            all.putIfAbsent(b, 0L);
        }
        return all;
    }

    private static boolean powerOfTwo(double b) {
        return b >= 1 && b == Math.scalb(1.0, Math.getExponent(b));
    }

    /** A bucket's upper bound from the key: {@code le}, or 2^{@code slot}; NaN when the key has neither. */
    public static double bound(Map<String, Object> key) {
        Object le = key.get("le");
        if (le != null) {
            return number(le);
        }
        double slot = number(key.get("slot"));
        return Double.isNaN(slot) || slot < 0 || slot > 1023 ? Double.NaN : Math.scalb(1.0, (int) slot);
    }

    /** The other key fields as {@code name=value ...}. */
    static String labels(Map<String, Object> key) {
        List<String> parts = new ArrayList<>();
        key.forEach((k, v) -> {
            if (!k.equals("le") && !k.equals("slot")) {
                parts.add(k + "=" + TextLinesSink.text(v));
            }
        });
        return String.join(" ", parts);
    }

    /** The bucket's count: the value's {@code count} or {@code value} field, else its last number. */
    private static long count(Map<String, Object> value) {
        for (String name : List.of("count", "value")) {
            double n = number(value.get(name));
            if (!Double.isNaN(n)) {
                return (long) n;
            }
        }
        double last = Double.NaN;
        for (Object v : value.values()) {
            double n = number(v);
            if (!Double.isNaN(n)) {
                last = n;
            }
        }
        return Double.isNaN(last) ? 0 : (long) last;
    }

    private static double number(Object v) {
        if (v instanceof DurationValue d) {
            return d.nanos();
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }
}
