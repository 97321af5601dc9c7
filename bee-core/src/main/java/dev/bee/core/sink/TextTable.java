package dev.bee.core.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines of text in aligned columns, for people and for tools such as {@code column} or {@code awk}. Cells
 * come from objects, images and registries: their control characters show as escapes ({@link VisibleText}).
 */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public TextTable row(List<?> cells) {
        List<String> r = new ArrayList<>(cells.size());
        for (Object c : cells) {
            r.add(c == null ? "-" : VisibleText.line(c.toString()));
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        int n = header.size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < n && i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        for (List<String> r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            l.append(c);
            if (i < width.length - 1) {
                l.append(" ".repeat(width[i] - c.length() + 2));
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
