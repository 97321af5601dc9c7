package dev.bee.core.watch;

/**
 * A kernel buffer that events arrive in (a ring buffer, the per-CPU buffers of a perf event array, or
 * libbpf's reader over some of them), read by the {@link EventDrain}: it says which fds poll readable
 * when it holds data, and copies what it holds into the {@link EventQueue}, handing the kernel the space
 * back. Records the queue has no room for are counted as lost by bee, per map, never dropped silently.
 * Drain thread only, except {@link #close()}, called once that thread has ended.
 */
interface EventSource extends AutoCloseable {
    /** The fds to wait on, readable while this source holds data. */
    int[] fds();

    /**
     * Copies what this source holds into {@code queue} (publishing as it goes), until it is caught up or
     * {@code deadline} ({@link System#nanoTime}) has passed; returns the records taken out.
     */
    int read(EventQueue queue, long deadline);

    /** Whether the last {@link #read} stopped at its deadline with records still there. */
    boolean behind();

    /** The bytes of its smallest single buffer (the drain's naps never let a quarter of one fill). */
    long capacity();

    /** The bytes read out of this source so far. */
    long bytesRead();

    @Override
    void close();
}
