package dev.bee.cli.ui;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.util.List;

/**
 * The bottom line: PAUSED while the panels are frozen, then per map its records so far with events
 * per second ({@code print_opens: 1234 (56/s)}), lost and malformed records, then the metrics address when there is one. Every figure comes
 * from the watcher's counts, none from what was drawn, so they stay exact however much the screen skips.
 */
final class StatusLine {
    private StatusLine() {
    }

    static AttributedString render(List<MapCounts> maps, String metrics, boolean paused) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        if (paused) {
            sb.styled(AttributedStyle.BOLD.inverse(), "PAUSED").append(" ");
        }
        String sep = "";
        for (MapCounts m : maps) {
            sb.append(sep).append(m.map()).append(": ").append(Long.toString(m.records())).append(" (")
                    .append(Long.toString(m.perSecond())).append("/s), lost ").append(m.lost())
                    .append(", malformed ").append(Long.toString(m.malformed()));
            sep = " | ";
        }
        if (metrics != null) {
            sb.append(sep).append("metrics ").append(metrics);
        }
        return sb.toAttributedString();
    }
}
