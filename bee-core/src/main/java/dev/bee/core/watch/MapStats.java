package dev.bee.core.watch;

import dev.bee.core.object.OutputKind;

/**
 * What happened to one shown map during a run. Written by the watcher thread only; read at any time by
 * others (the metrics endpoint, the screen), hence volatile.
 */
public final class MapStats {
    private final String map;
    private final OutputKind output;
    private final String source;
    private final boolean lossCounted;
    volatile long records;
    volatile long shown;
    volatile long filtered;
    volatile long lost;
    volatile long queueLost;
    volatile long malformed;
    volatile long ringFull;
    volatile boolean ringWatched;
    volatile long pollsUnfinished;
    volatile long untracked;

    MapStats(String map, OutputKind output, String source, boolean lossCounted) {
        this.map = map;
        this.output = output;
        this.source = source;
        this.lossCounted = lossCounted;
    }

    public String map() {
        return map;
    }

    /** The map's convention (print, counter, gauge, hist). */
    public OutputKind output() {
        return output;
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

    /**
     * Whether {@link #lost()} is a true count: perf buffers report their losses and a polled map loses
     * nothing, but a full ring buffer makes the program's reserve fail and the kernel counts nothing, so
     * a ring buffer's losses are known only when its program counts them (bee_types.h's
     * {@code bee_ringbuf_reserve}, into {@code bee_lost_<map>}).
     */
    public boolean lossCounted() {
        return lossCounted;
    }

    /** Records the kernel dropped before bee could read them; meaningful only when {@link #lossCounted()}. */
    public long lost() {
        return lost;
    }

    /**
     * Records bee took out of the kernel's buffer but had no room for in its queue (--queue-size): always
     * counted, and told apart from the kernel's {@link #lost()}.
     */
    public long queueLost() {
        return queueLost;
    }

    /**
     * The lost count as people read it: the number (the kernel's and the queue's), or "unknown" where
     * nothing counts the kernel's losses, with the times the reader found the ring full when it did
     * ("unknown (ring full 3 times)"), and what bee's queue dropped when it dropped any
     * ("1200 (1200 in bee's queue)", "unknown (ring full 3 times) + 1200 in bee's queue").
     */
    public String lostText() {
        long queue = queueLost;
        if (lossCounted) {
            long kernel = lost;
            return queue == 0 ? Long.toString(kernel) : (kernel + queue) + " (" + queue + " in bee's queue)";
        }
        long full = ringFull;
        String kernel = full == 0 ? "unknown" : "unknown (ring full " + full + (full == 1 ? " time)" : " times)");
        return queue == 0 ? kernel : kernel + " + " + queue + " in bee's queue";
    }

    /**
     * Times the reader found the ring buffer too full for another event (the program's reserve fails
     * then): each time events may have been lost. Counted only when {@link #ringWatched()}.
     */
    public long ringFull() {
        return ringFull;
    }

    /** Whether the reader sees the ring buffer's positions and counts {@link #ringFull()} (the mapped reader). */
    public boolean ringWatched() {
        return ringWatched;
    }

    /** Records whose bytes did not match the declared type. */
    public long malformed() {
        return malformed;
    }

    /**
     * Polls of this map that stopped before the end of the map (the bound on one poll's work, or a pass
     * that kept restarting as entries were deleted): its changes show intervals late.
     */
    public long pollsUnfinished() {
        return pollsUnfinished;
    }

    /** Entries the last whole pass over this map found beyond what bee keeps track of, and did not show. */
    public long untracked() {
        return untracked;
    }

    /**
     * What keeping up with a polled map cost, as people read it, or null when it kept up:
     * "3 polls unfinished, 1200 entries untracked".
     */
    public String behindText() {
        long p = pollsUnfinished;
        long u = untracked;
        if (p == 0 && u == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (p > 0) {
            sb.append(p).append(p == 1 ? " poll" : " polls").append(" unfinished");
        }
        if (u > 0) {
            sb.append(p > 0 ? ", " : "").append(u).append(u == 1 ? " entry" : " entries").append(" untracked");
        }
        return sb.toString();
    }
}
