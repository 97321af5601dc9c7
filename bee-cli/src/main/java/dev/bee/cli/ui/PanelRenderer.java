package dev.bee.cli.ui;

import dev.bee.core.sink.BucketHistogram;
import dev.bee.core.sink.HistogramPicture;
import dev.bee.core.sink.MapRecord;
import dev.bee.core.sink.TextLinesSink;
import dev.bee.core.sink.VisibleText;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws one panel into its region: a title line (name, convention and source, counts, filter, sort), a
 * column header, then the rows that fit. Events keep the newest at the bottom, like a log; tables show
 * their first rows in the chosen order. Column widths follow the rows on screen, so a long value
 * elsewhere in the history does not squeeze the others.
 */
final class PanelRenderer {
    /** No column but the last grows past this; the last one gets what is left of the line. */
    private static final int MAX_COLUMN = 40;
    private static final String TIME = "time";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private PanelRenderer() {
    }

    /** Exactly {@code height} lines (at most {@code width} columns each) for panel {@code p}. */
    static List<AttributedString> render(Panel p, boolean focused, PanelView view, List<MapRecord> records,
                                         List<String> fields, int height, int width) {
        List<MapRecord> shown = records;
        if (view.filter() != null) {
            shown = records.stream().filter(view.filter()::accepts).toList();
        }
        if (p.kind() == Panel.Kind.TABLE && view.sort() != null) {
            shown = new ArrayList<>(shown);
            shown.sort(view.sort().comparator());
        }
        List<AttributedString> out = new ArrayList<>(height);
        out.add(title(p, focused, view, records.size(), shown.size(), width));
        List<BucketHistogram> histograms = p.kind() == Panel.Kind.TABLE && p.description().startsWith("hist")
                ? BucketHistogram.group(shown) : List.of();
        if (!histograms.isEmpty()) {
            pictures(histograms, height, width, out);
            return pad(out, height);
        }
        int body = height - 2;
        if (height >= 2) {
            List<String> columns = new ArrayList<>();
            if (p.kind() == Panel.Kind.EVENTS) {
                columns.add(TIME);
            }
            columns.addAll(fields);
            List<MapRecord> visible = p.kind() == Panel.Kind.TABLE
                    ? shown.subList(0, Math.min(body, shown.size()))
                    : shown.subList(Math.max(0, shown.size() - body), shown.size());
            if (visible.isEmpty()) {
                out.add(new AttributedString(""));
                if (body > 0) {
                    out.add(new AttributedString("  " + emptyText(p, view), AttributedStyle.DEFAULT.faint()));
                }
            } else {
                table(columns, visible, width, out);
            }
        }
        return pad(out, height);
    }

    private static List<AttributedString> pad(List<AttributedString> out, int height) {
        while (out.size() < height) {
            out.add(new AttributedString(""));
        }
        return out.subList(0, height);
    }

    /**
     * A hist_ map the program fills per bucket, drawn as bars per label set (bcc's picture: range, count,
     * share and a bar scaled to the largest bucket), as many as fit.
     */
    private static void pictures(List<BucketHistogram> histograms, int height, int width, List<AttributedString> out) {
        int bar = Math.max(10, Math.min(HistogramPicture.BAR_WIDTH, width - 48));
        for (BucketHistogram h : histograms) {
            if (out.size() >= height) {
                return;
            }
            if (!h.labels().isEmpty()) {
                out.add(new AttributedString(clip(VisibleText.line(h.labels()), width), AttributedStyle.BOLD));
            }
            for (String line : h.picture(bar)) {
                out.add(new AttributedString(clip(line, width)));
            }
        }
    }

    private static String clip(String s, int width) {
        return s.length() > width ? s.substring(0, width) : s;
    }

    private static AttributedString title(Panel p, boolean focused, PanelView view, int kept, int matching, int width) {
        StringBuilder t = new StringBuilder(focused ? "> " : "  ");
        t.append(VisibleText.line(p.name())).append(" [").append(p.description()).append("]  ");
        t.append(kept).append(switch (p.kind()) {
            case EVENTS -> " kept";
            case TABLE -> kept == 1 ? " row" : " rows";
            case OUTPUT -> kept == 1 ? " line" : " lines";
        });
        if (p.kind() == Panel.Kind.TABLE && kept >= EntryTable.MAX_ROWS) {
            t.append(" (no more are kept)");
        }
        if (view.filter() != null) {
            t.append(", filter ").append(VisibleText.line(view.filter().toString())).append(": ").append(matching).append(" shown");
        }
        if (p.kind() == Panel.Kind.TABLE) {
            t.append(", sort ").append(view.sort() == null ? "none" : view.sort());
        }
        AttributedStyle style = focused ? AttributedStyle.BOLD.inverse() : AttributedStyle.BOLD;
        String s = t.length() > width ? t.substring(0, width) : t + " ".repeat(focused ? width - t.length() : 0);
        return new AttributedString(s, style);
    }

    private static String emptyText(Panel p, PanelView view) {
        if (view.filter() != null) {
            return "(nothing matches " + view.filter() + ")";
        }
        return switch (p.kind()) {
            case EVENTS -> "(no events yet)";
            case TABLE -> "(no entries yet)";
            case OUTPUT -> "(no output)";
        };
    }

    private static void table(List<String> columns, List<MapRecord> rows, int width, List<AttributedString> out) {
        List<String[]> cells = new ArrayList<>(rows.size());
        int[] w = new int[columns.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = VisibleText.line(columns.get(c)).length();
        }
        for (MapRecord r : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < line.length; c++) {
                String name = columns.get(c);
                line[c] = name.equals(TIME) && c == 0 ? CLOCK.format(r.time()) : TextLinesSink.cell(r.field(name));
                w[c] = Math.max(w[c], line[c].length());
            }
            cells.add(line);
        }
        for (int c = 0; c < w.length - 1; c++) {
            w[c] = Math.min(w[c], MAX_COLUMN);
        }
        String[] names = columns.stream().map(VisibleText::line).toArray(String[]::new);
        out.add(new AttributedString(line(names, w, width), AttributedStyle.DEFAULT.underline()));
        for (String[] line : cells) {
            out.add(new AttributedString(line(line, w, width)));
        }
    }

    private static String line(String[] cells, int[] w, int width) {
        StringBuilder sb = new StringBuilder(width);
        sb.append("  ");
        for (int c = 0; c < cells.length; c++) {
            String s = cells[c];
            if (c < cells.length - 1) {
                s = s.length() > w[c] ? s.substring(0, w[c]) : s + " ".repeat(w[c] - s.length());
                sb.append(s).append("  ");
            } else {
                sb.append(s);
            }
        }
        return sb.length() > width ? sb.substring(0, width) : sb.toString();
    }
}
