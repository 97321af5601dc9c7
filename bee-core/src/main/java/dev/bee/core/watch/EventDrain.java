package dev.bee.core.watch;

import dev.bee.core.libbpf.AnonymousMemory;
import dev.bee.core.libbpf.ReadableWait;
import dev.bee.core.libbpf.WakeFd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * The thread that takes events out of the kernel: one {@code poll(2)} over the fds of every
 * {@link EventSource} (ring buffers, perf buffers' CPUs, libbpf's epoll fds) and a {@link WakeFd} for the
 * stop, then every source copied into the {@link EventQueue}. It does nothing else, so it drains the
 * kernel's buffers faster than a program fills them while the watcher's thread decodes behind it.
 *
 * <p>A busy stream is read in batches: after catching up with one, the thread naps before reading again
 * ({@link WakeupCoalescing}: never long enough for a quarter of a buffer to fill) rather than being woken
 * for every event. A read cut short by its time budget reads on at once. Once the queue is more than half
 * full (the decoder is behind) it takes no nap: being woken for every event costs the producer a wake-up
 * per event, which slows it as a C consumer woken per event does, until the decoder has caught up.
 *
 * <p>Owns the sources, the queue's memory and the wake fd: {@link #close()} stops the thread first.
 */
final class EventDrain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDrain.class);
    /** Longest one pass over the sources goes on before the thread looks at its stop flag. */
    static final long READ_BUDGET_NANOS = 50_000_000L;
    /** Past this share of the queue in use (1/N), the drain stops napping. */
    static final int BACKPRESSURE_FRACTION = 2;

    private final List<EventSource> sources;
    private final EventQueue queue;
    private final AnonymousMemory memory;
    private final WakeFd wake;
    private final ReadableWait wait;
    private final WakeupCoalescing coalescing;
    private final long[] read;
    private Thread thread;
    /** Whether the last pass stopped at its budget with records still in a source. */
    private boolean behind;
    private volatile boolean stop;
    private volatile RuntimeException failure;

    /** Over {@code sources} into {@code queue}, whose memory is {@code memory} (owned from now on). */
    EventDrain(List<EventSource> sources, EventQueue queue, AnonymousMemory memory) {
        this.sources = List.copyOf(sources);
        this.queue = queue;
        this.memory = memory;
        WakeFd w = null;
        try {
            w = WakeFd.open();
            int[] fds = IntStream.concat(sources.stream().flatMapToInt(s -> IntStream.of(s.fds())),
                    IntStream.of(w.fd())).toArray();
            this.wait = new ReadableWait(fds);
        } catch (RuntimeException e) {
            if (w != null) {
                w.close();
            }
            throw e;
        }
        this.wake = w;
        this.read = new long[sources.size()];
        this.coalescing = new WakeupCoalescing(sources.stream().mapToLong(EventSource::capacity).toArray(),
                read, System.nanoTime());
    }

    EventQueue queue() {
        return queue;
    }

    /** Starts the thread. */
    void start() {
        thread = new Thread(this::loop, "bee-drain");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!stop) {
                long nap = readAll();
                if (stop) {
                    return;
                }
                if (nap < 0) {
                    wait.await(-1); // until a source holds data, or the stop
                } else if (nap > 0) {
                    LockSupport.parkNanos(nap);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("the drain thread failed", e);
            failure = e;
        }
    }

    /** One pass over every source; returns the nap to take before the next (0: none), or -1 to wait. */
    private long readAll() {
        int n = readOnce();
        if (behind) {
            return 0;
        }
        long nap = coalescing.afterRead(System.nanoTime(), n, read);
        if (queue.used() > queue.capacity() / BACKPRESSURE_FRACTION) {
            // The decoder is falling behind: no nap. The kernel then wakes the drain for each event, which
            // slows the producer (as a C consumer woken per event does) while the decoder catches up.
            return n == 0 ? -1 : 0;
        }
        return nap > 0 ? nap : n == 0 ? -1 : 0;
    }

    /** Rethrows what ended the thread, on the watcher's thread. */
    void rethrow() {
        RuntimeException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
    }

    /** Stops the thread and waits for it; the sources may then be read on the caller's thread ({@link #readOnce}). */
    void stop() {
        stop = true;
        if (thread != null) {
            wake.wake();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One pass over the sources, each for at most the read budget: on the drain's thread, or after
     * {@link #stop()} on the caller's; returns the records taken out.
     */
    int readOnce() {
        int n = 0;
        behind = false;
        long deadline = System.nanoTime() + READ_BUDGET_NANOS;
        for (int i = 0; i < sources.size(); i++) {
            EventSource s = sources.get(i);
            n += s.read(queue, deadline);
            behind |= s.behind();
            read[i] = s.bytesRead();
        }
        return n;
    }

    @Override
    public void close() {
        stop();
        for (EventSource s : sources) {
            s.close();
        }
        wake.close();
        memory.close();
    }
}
