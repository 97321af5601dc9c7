package dev.bee.cli.ui;

/**
 * One map's figures for the status line, read from the watcher's {@code MapStats} at one frame:
 * records so far, events per second, lost as the watcher words it ("unknown" where nothing counts
 * losses, never 0), and malformed records.
 */
record MapCounts(String map, long records, long perSecond, String lost, long malformed) {
}
