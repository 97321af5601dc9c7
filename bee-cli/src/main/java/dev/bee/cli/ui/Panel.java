package dev.bee.cli.ui;

import dev.bee.core.watch.MapStats;

import java.util.Locale;

/**
 * One box on the screen: a shown map (events scrolling, or a table of entries) or the text of an
 * iterator program. {@code description} is what the title says about it ("print, ring buffer").
 */
record Panel(String name, Kind kind, String description) {
    enum Kind {
        /** Ring buffer or perf buffer events, newest at the bottom. */
        EVENTS,
        /** Entries of a polled hash or array map, one row per key, updated in place. */
        TABLE,
        /** Lines an iterator program printed. */
        OUTPUT
    }

    /** The panel of a shown map; {@link MapStats#source()} says how it is read, and so how it looks. */
    static Panel of(MapStats map) {
        Kind kind = map.source().equals("polled") ? Kind.TABLE : Kind.EVENTS;
        return new Panel(map.map(), kind, map.output().name().toLowerCase(Locale.ROOT) + ", " + map.source());
    }

    static Panel iterator(String program) {
        return new Panel(program, Kind.OUTPUT, "iterator output");
    }
}
