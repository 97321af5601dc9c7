package dev.bee.core.sink;

import dev.bee.core.decode.DurationValue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One line per record in aligned columns: {@code time}, {@code map}, then the key and value fields.
 * A header line names the columns whenever the map (or its set of fields) changes from the previous
 * line; columns widen as wider values arrive and never shrink, so a stream stays readable and works
 * with {@code awk}. Durations show as {@code 1.5ms}, empty values as {@code -}, control characters as
 * escapes ({@link VisibleText}). Iterator text is printed as it came, control characters escaped but
 * newlines and tabs; removed entries are not shown.
 */
public final class TextLinesSink implements RecordSink {
    private final PrintStream out;
    private final Timestamps timestamps = new Timestamps();
    private final Map<String, int[]> widths = new HashMap<>();
    private String lastLayout;
    private final StringBuilder line = new StringBuilder(256);

    public TextLinesSink(OutputStream out) {
        this.out = out instanceof PrintStream ps ? ps : new PrintStream(out, false, StandardCharsets.UTF_8);
    }

    /** Something else was printed between this sink's lines: the next line starts with its header again. */
    public void sectionBreak() {
        lastLayout = null;
    }

    @Override
    public void write(MapRecord r) {
        switch (r.kind()) {
            case REMOVED -> {
                return; // the stream shows what changed; a removed entry is the metrics' and the screen's business
            }
            case ITER -> {
                out.print(VisibleText.lines(String.valueOf(r.value().get("output"))));
                lastLayout = null;
                return;
            }
            default -> {
            }
        }
        List<String> header = new ArrayList<>(2 + r.key().size() + r.value().size());
        List<String> cells = new ArrayList<>(header.size());
        header.add("time");
        cells.add(timestamps.local(r.time()));
        header.add("map");
        cells.add(VisibleText.line(r.map()));
        for (Map.Entry<String, Object> e : r.key().entrySet()) {
            header.add(VisibleText.line(e.getKey()));
            cells.add(cell(e.getValue()));
        }
        for (Map.Entry<String, Object> e : r.value().entrySet()) {
            header.add(VisibleText.line(e.getKey()));
            cells.add(cell(e.getValue()));
        }
        String layout = r.map() + "\0" + String.join("\0", header);
        int[] w = widths.get(layout);
        if (w == null) {
            w = new int[header.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = header.get(i).length();
            }
            widths.put(layout, w);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(w[i], cells.get(i).length());
        }
        if (!layout.equals(lastLayout)) {
            lastLayout = layout;
            print(header, w);
        }
        print(cells, w);
    }

    private void print(List<String> cells, int[] w) {
        line.setLength(0);
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            line.append(c);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(w[i] - c.length() + 2));
            }
        }
        out.print(line.append('\n'));
    }

    /**
     * A value as people read it: {@code -} for nothing, durations as {@code 1.5ms}, one line (the text
     * filters, metric labels and the screen use).
     */
    public static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof String s) {
            return s.isEmpty() ? "-" : s.replace('\n', ' ').replace('\t', ' ');
        }
        if (v instanceof DurationValue d) {
            return d.toString();
        }
        return v.toString();
    }

    /**
     * A value as a terminal shows it: {@link #text} with control characters escaped (a file name or comm
     * holding ESC sequences must not drive the operator's terminal).
     */
    public static String cell(Object v) {
        return VisibleText.line(text(v));
    }

    @Override
    public void flush() {
        // PrintStream keeps write errors to itself; on stdout the one that happens is a closed pipe.
        if (out.checkError()) {
            throw new OutputClosedException("the output was closed");
        }
    }
}
