package dev.bee.core.sink;

import dev.bee.core.decode.DurationValue;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Text output for {@code hist_} maps the program fills per bucket (hash or array maps keyed by an {@code le}
 * upper bound or a log2 {@code slot}): instead of a line per changed bucket, a {@link HistogramPicture} per
 * label set (the other key fields) each time a poll changed it, as bcc's tools print theirs at each
 * interval. Every other record goes on to the lines sink. Label sets are bounded as metric series are.
 */
public final class HistogramPicturesSink implements RecordSink {
    /** Most label sets kept per run (more are printed as lines). */
    static final int MAX_LABEL_SETS = 10_000;

    private final TextLinesSink lines;
    private final PrintStream out;
    private final Set<String> maps;
    private final Timestamps timestamps = new Timestamps();
    /** Map and label text to its buckets (bound to count). */
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();

    private record Histogram(String map, String labels, boolean durations, SortedMap<Double, Long> counts) {
        /**
         * The buckets to draw. A log2 histogram (every bound a power of two, as 2^slot always is) has its
         * missing powers of two as empty buckets, from half the lowest bound up, so that no range spans a gap
         * and the lowest one has its lower end.
         */
        SortedMap<Double, Long> layout() {
            if (counts.isEmpty() || !counts.keySet().stream().allMatch(Histogram::powerOfTwo)) {
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
    }

    /**
     * @param lines the lines sink for every other record
     * @param out   where the pictures go (the lines sink's stream)
     * @param maps  the names of the maps drawn as pictures
     */
    public HistogramPicturesSink(TextLinesSink lines, PrintStream out, Set<String> maps) {
        this.lines = lines;
        this.out = out;
        this.maps = Set.copyOf(maps);
    }

    @Override
    public void write(MapRecord r) {
        if (!maps.contains(r.map()) || r.kind() == MapRecord.Kind.EVENT || r.kind() == MapRecord.Kind.ITER) {
            lines.write(r);
            return;
        }
        double bound = bound(r.key());
        if (Double.isNaN(bound)) {
            lines.write(r);
            return;
        }
        String labels = labels(r.key());
        String id = r.map() + "\0" + labels;
        Histogram h = histograms.get(id);
        if (h == null) {
            if (r.kind() == MapRecord.Kind.REMOVED) {
                return;
            }
            if (histograms.size() >= MAX_LABEL_SETS) {
                lines.write(r);
                return;
            }
            Object le = r.key().get("le");
            h = new Histogram(r.map(), labels, le instanceof DurationValue || r.map().endsWith("_ns"), new TreeMap<>());
            histograms.put(id, h);
        }
        if (r.kind() == MapRecord.Kind.REMOVED) {
            h.counts().remove(bound);
        } else {
            h.counts().put(bound, Math.max(0, count(r.value())));
        }
        changed.add(id);
    }

    @Override
    public void flush() {
        if (!changed.isEmpty()) {
            for (String id : changed) {
                Histogram h = histograms.get(id);
                List<String> picture = HistogramPicture.lines(h.layout(), h.durations(), HistogramPicture.BAR_WIDTH);
                if (picture.isEmpty()) {
                    continue;
                }
                out.println(timestamps.local(java.time.Instant.now()) + "  " + VisibleText.line(h.map())
                        + (h.labels().isEmpty() ? "" : "  " + VisibleText.line(h.labels())));
                picture.forEach(out::println);
            }
            changed.clear();
            lines.sectionBreak();
        }
        lines.flush();
    }

    /** A bucket's upper bound from the key: {@code le}, or 2^{@code slot}; NaN when the key has neither. */
    static double bound(Map<String, Object> key) {
        Object le = key.get("le");
        if (le != null) {
            return number(le);
        }
        double slot = number(key.get("slot"));
        return Double.isNaN(slot) || slot < 0 || slot > 1023 ? Double.NaN : Math.scalb(1.0, (int) slot);
    }

    /** The other key fields as {@code name=value ...}. */
    private static String labels(Map<String, Object> key) {
        List<String> parts = new ArrayList<>();
        key.forEach((k, v) -> {
            if (!k.equals("le") && !k.equals("slot")) {
                parts.add(k + "=" + TextLinesSink.text(v));
            }
        });
        return String.join(" ", parts);
    }

    /** The bucket's count: the value itself, or its {@code count} or {@code value} field, else its last number. */
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
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
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
