package dev.bee.cli.ui;

import dev.bee.core.sink.VisibleText;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole screen at one size: the heading (what runs, where it is attached), the key help, the panels
 * where the {@link Layout} puts them, a message line (the filter prompt, the answer to the last key, or
 * the latest warning) and the status line.
 */
final class Frame {
    /** Heading, key help, message line, status line. */
    static final int CHROME_ROWS = 4;

    private Frame() {
    }

    /** Exactly {@code rows} lines of at most {@code cols} columns. */
    static List<AttributedString> render(String heading, ViewState view, Snapshot data, String warning,
                                         AttributedString status, int rows, int cols) {
        List<AttributedString> out = new ArrayList<>(rows);
        out.add(new AttributedString(heading, AttributedStyle.BOLD));
        out.add(new AttributedString(KeyBindings.HELP, AttributedStyle.DEFAULT.faint()));
        int area = Math.max(0, rows - CHROME_ROWS);
        List<Panel> panels = view.panels();
        if (view.helpShown()) {
            KeyBindings.HELP_VIEW.stream().limit(area).forEach(l -> out.add(new AttributedString(l)));
            panels = List.of();
        } else if (panels.isEmpty() && area > 0) {
            out.add(new AttributedString("  (no maps to show: none has a print_, counter_, gauge_ or hist_ name)"));
        }
        for (Layout.Region r : Layout.of(area, panels.size(), view.focus()).regions()) {
            Panel p = panels.get(r.panel());
            out.addAll(PanelRenderer.render(p, r.panel() == view.focus(), view.view(p), data.records(p),
                    data.fields(p), r.height(), cols));
        }
        while (out.size() < rows - 2) {
            out.add(new AttributedString(""));
        }
        out.add(message(view, warning));
        out.add(status);
        List<AttributedString> fitted = new ArrayList<>(rows);
        for (AttributedString line : out.subList(Math.max(0, out.size() - rows), out.size())) {
            AttributedString shown = visible(line);
            fitted.add(shown.columnLength() > cols ? shown.columnSubSequence(0, cols) : shown);
        }
        return fitted;
    }

    /**
     * {@code line} with every control character shown as an escape, styles kept: the last guard before
     * the terminal, for text that no panel escaped (the heading names an image, warnings name maps).
     */
    static AttributedString visible(AttributedString line) {
        String text = line.toString();
        if (VisibleText.line(text).equals(text)) {
            return line;
        }
        AttributedStringBuilder sb = new AttributedStringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            String c = text.substring(i, i + 1);
            if (Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                c = text.substring(i, i + 2);
                sb.style(line.styleAt(i)).append(c);
                i++;
                continue;
            }
            sb.style(line.styleAt(i)).append(VisibleText.line(c));
        }
        return sb.toAttributedString();
    }

    private static AttributedString message(ViewState view, String warning) {
        if (view.prompt() != null) {
            return new AttributedString("filter " + view.focused().name()
                    + " (FIELD REGEX or FIELD=REGEX; empty clears; Esc cancels): " + view.prompt() + "_",
                    AttributedStyle.BOLD);
        }
        if (view.notice() != null) {
            return new AttributedString(view.notice(), AttributedStyle.BOLD);
        }
        return warning == null ? new AttributedString("")
                : new AttributedString(warning, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
    }
}
