package dev.bee.cli.ui;

import dev.bee.core.watch.MapStats;

/**
 * One map's figures for the status line, read from the watcher's {@link MapStats} at one frame:
 * records so far, events per second, lost as the watcher words it ("unknown" where nothing counts
 * losses, never 0), and malformed records.
 */
record MapCounts(String map, long records, long perSecond, String lost, long malformed) {
    static MapCounts of(MapStats s, long perSecond) {
        return new MapCounts(s.map(), s.records(), perSecond, s.lostText(), s.malformed());
    }
}
