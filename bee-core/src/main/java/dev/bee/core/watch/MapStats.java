package dev.bee.core.watch;

/** What happened to one shown map during a run; updated by the watcher thread only. */
public final class MapStats {
    private final String map;
    private final String source;
    long records;
    long shown;
    long filtered;
    long lost;
    long malformed;
    String lostNote;

    MapStats(String map, String source) {
        this.map = map;
        this.source = source;
    }

    public String map() {
        return map;
    }

    /** How the map is read: "ring buffer", "perf buffer", "polled". */
    public String source() {
        return source;
    }

    /** Events read (or changed entries seen), each decoded once. */
    public long records() {
        return records;
    }

    /** Records written to the output (after filters and --max-events). */
    public long shown() {
        return shown;
    }

    public long filtered() {
        return filtered;
    }

    /** Records the kernel dropped before bee could read them (perf buffers count them). */
    public long lost() {
        return lost;
    }

    /** Records whose bytes did not match the declared type. */
    public long malformed() {
        return malformed;
    }

    /** A remark about loss that the kernel does not count (ring buffers), or null. */
    public String lostNote() {
        return lostNote;
    }
}
