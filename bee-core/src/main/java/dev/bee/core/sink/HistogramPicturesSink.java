package dev.bee.core.sink;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** Map and label text to its histogram. */
    private final Map<String, BucketHistogram> histograms = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();

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
        if (!maps.contains(r.map()) || r.kind() == MapRecord.Kind.EVENT || r.kind() == MapRecord.Kind.ITER
                || Double.isNaN(BucketHistogram.bound(r.key()))) {
            lines.write(r);
            return;
        }
        String id = r.map() + "\0" + BucketHistogram.labels(r.key());
        BucketHistogram h = histograms.get(id);
        if (h == null) {
            if (r.kind() == MapRecord.Kind.REMOVED) {
                return;
            }
            if (histograms.size() >= MAX_LABEL_SETS) {
                lines.write(r);
                return;
            }
            h = BucketHistogram.of(r);
            histograms.put(id, h);
        }
        h.apply(r);
        changed.add(id);
    }

    @Override
    public void flush() {
        if (!changed.isEmpty()) {
            for (String id : changed) {
                BucketHistogram h = histograms.get(id);
                List<String> picture = h.picture(HistogramPicture.BAR_WIDTH);
                if (picture.isEmpty()) {
                    continue;
                }
                out.println(timestamps.local(Instant.now()) + "  " + VisibleText.line(h.map())
                        + (h.labels().isEmpty() ? "" : "  " + VisibleText.line(h.labels())));
                picture.forEach(out::println);
            }
            changed.clear();
            lines.sectionBreak();
        }
        lines.flush();
    }
}
