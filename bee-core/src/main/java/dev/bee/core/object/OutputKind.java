package dev.bee.core.object;

import java.util.Locale;

/**
 * What bee does with a map, from BumbleBee's convention: the map name's prefix ({@code print_},
 * {@code counter_}, {@code gauge_}, {@code hist_}) or, in older objects, the section suffix
 * ({@code .maps.print}, {@code .maps.counter}, ...). {@link #NONE}: loaded but not shown.
 */
public enum OutputKind {
    PRINT, COUNTER, GAUGE, HIST, NONE;

    public String prefix() {
        return name().toLowerCase(Locale.ROOT) + "_";
    }

    /** The convention of a map named {@code name} in section {@code section}. */
    public static OutputKind of(String name, String section) {
        for (OutputKind k : values()) {
            if (k != NONE && name.startsWith(k.prefix())) {
                return k;
            }
        }
        if (section != null && section.startsWith(".maps.")) {
            String suffix = section.substring(".maps.".length());
            for (OutputKind k : values()) {
                if (k != NONE && suffix.equals(k.name().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
        }
        return NONE;
    }
}
