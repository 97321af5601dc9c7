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

    /** The bytes of the smallest single buffer, and how many bytes have been read out of it so far
     * (for the drain's naps: no nap may let a quarter of a buffer fill). */
    long capacity();

    long bytesRead();

    @Override
    void close();
}
