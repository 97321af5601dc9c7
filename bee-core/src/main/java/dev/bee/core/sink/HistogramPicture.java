package dev.bee.core.sink;

import dev.bee.core.decode.DurationValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * A histogram drawn as text, as bcc's log2 histograms are: one line per bucket from the lowest to the
 * highest one that holds a count, with the bucket's range, its count, its share of the total and a bar
 * scaled to the largest bucket. Buckets are given by upper bound (a program's {@code le}, or 2^slot);
 * each range runs from just above the bucket below to its bound. Pure text, no terminal codes.
 */
public final class HistogramPicture {
    /** Width of the bars at the largest bucket. */
    public static final int BAR_WIDTH = 40;

    private HistogramPicture() {
    }

    /**
     * The lines of the picture of {@code counts} (upper bound to count, bounds increasing); {@code durations}
     * writes bounds as durations of nanoseconds. Empty when every count is 0.
     */
    public static List<String> lines(SortedMap<Double, Long> counts, boolean durations, int barWidth) {
        List<Map.Entry<Double, Long>> buckets = new ArrayList<>(counts.entrySet());
        int first = -1;
        int last = -1;
        long total = 0;
        long max = 0;
        for (int i = 0; i < buckets.size(); i++) {
            long c = buckets.get(i).getValue();
            if (c > 0) {
                first = first < 0 ? i : first;
                last = i;
                total += c;
                max = Math.max(max, c);
            }
        }
        if (total == 0) {
            return List.of();
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            double hi = buckets.get(i).getKey();
            double lo = i == 0 ? Double.NaN : buckets.get(i - 1).getKey();
            String range = (i == 0 ? "" : bound(lo, durations, true) + " -> ") + bound(hi, durations, false);
            long c = buckets.get(i).getValue();
            int bar = (int) Math.round((double) c * barWidth / max);
            if (c > 0 && bar == 0) {
                bar = 1; // a bucket with a count never looks empty
            }
            rows.add(new String[]{range, Long.toString(c), String.format(Locale.ROOT, "%5.1f%%", 100.0 * c / total),
                    "|" + "*".repeat(bar) + " ".repeat(barWidth - bar) + "|"});
        }
        int rangeWidth = Math.max("range".length(), rows.stream().mapToInt(r -> r[0].length()).max().orElse(0));
        int countWidth = Math.max("count".length(), rows.stream().mapToInt(r -> r[1].length()).max().orElse(0));
        List<String> out = new ArrayList<>();
        out.add(pad("range", rangeWidth, true) + " : " + pad("count", countWidth, false) + "  share  distribution");
        for (String[] r : rows) {
            out.add(pad(r[0], rangeWidth, true) + " : " + pad(r[1], countWidth, false) + " " + r[2] + "  " + r[3]);
        }
        return out;
    }

    /** A bucket bound as text: an integer as itself, a duration as 1.5ms; the lower end of a range is one more. */
    private static String bound(double b, boolean durations, boolean lowerEnd) {
        if (durations) {
            return TextLinesSink.text(new DurationValue((long) b + (lowerEnd ? 1 : 0)));
        }
        if (b == Math.rint(b) && Math.abs(b) < 1e18) {
            return Long.toString((long) b + (lowerEnd ? 1 : 0));
        }
        return String.format(Locale.ROOT, lowerEnd ? ">%g" : "%g", b);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
