package dev.bee.cli.ui;

import dev.bee.core.watch.MapStats;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.util.List;
import java.util.Map;

/**
 * The bottom line: PAUSED while the panels are frozen, then per map its records so far, events per
 * second, lost (the watcher's own text: "unknown" where a ring buffer cannot count them) and malformed
 * records, then the metrics address when there is one. Every count comes from the watcher, none from
 * what was drawn.
 */
final class StatusLine {
    private StatusLine() {
    }

    static AttributedString render(List<MapStats> maps, Map<String, Long> perSecond, String metrics, boolean paused) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        if (paused) {
            sb.styled(AttributedStyle.BOLD.inverse(), "PAUSED").append(" ");
        }
        String sep = "";
        for (MapStats s : maps) {
            sb.append(sep).append(s.map()).append(": ").append(Long.toString(s.records())).append(" records, ")
                    .append(Long.toString(perSecond.getOrDefault(s.map(), 0L))).append("/s, lost ")
                    .append(s.lostText()).append(", malformed ").append(Long.toString(s.malformed()));
            sep = " | ";
        }
        if (metrics != null) {
            sb.append(sep).append("metrics ").append(metrics);
        }
        return sb.toAttributedString();
    }
}
