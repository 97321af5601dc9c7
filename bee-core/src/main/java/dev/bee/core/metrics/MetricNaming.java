package dev.bee.core.metrics;

import java.util.List;
import java.util.Locale;

/**
 * How a map's metric is named and in which unit its values are ({@code --metric-names}). {@link #BEE}
 * follows Prometheus' conventions, so that {@code promtool check metrics} passes: the map's convention
 * word ({@code counter_}, {@code gauge_}, {@code hist_}) is not in the name, and durations (the
 * {@code duration} type, {@code *_ns} fields) are in seconds with a {@code _seconds} suffix.
 * {@link #BUMBLEBEE} keeps BumbleBee's names and raw values, for dashboards written for it.
 */
public enum MetricNaming {
    BEE, BUMBLEBEE;

    private static final List<String> CONVENTIONS = List.of("counter_", "gauge_", "hist_");

    /** Parses {@code bee} or {@code bumblebee}; null if it is neither. */
    static MetricNaming of(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "bee" -> BEE;
            case "bumblebee" -> BUMBLEBEE;
            default -> null;
        };
    }

    /** Whether durations are exported in seconds (Prometheus' base unit). */
    boolean baseUnits() {
        return this == BEE;
    }

    /**
     * The name of {@code map}'s metric before a unit suffix: {@code prefix_map}, without the convention word
     * under {@link #BEE}.
     */
    String base(String prefix, String map) {
        String rest = map;
        if (this == BEE) {
            for (String c : CONVENTIONS) {
                // A map named by its convention word alone, or whose rest starts with a digit, keeps its name.
                if (map.startsWith(c) && map.length() > c.length() && !Character.isDigit(map.charAt(c.length()))) {
                    rest = map.substring(c.length());
                    break;
                }
            }
        }
        return prefix.isEmpty() ? rest : prefix + "_" + rest;
    }

    /** {@code base} for values in seconds: a {@code _ns} suffix becomes {@code _seconds}, else it is added. */
    static String seconds(String base) {
        if (base.endsWith("_seconds")) {
            return base;
        }
        return (base.endsWith("_ns") ? base.substring(0, base.length() - 3) : base) + "_seconds";
    }
}
