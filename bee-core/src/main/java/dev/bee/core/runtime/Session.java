package dev.bee.core.runtime;

import dev.bee.core.attach.Attachment;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.ObjectHandle;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.libbpf.Fds;
import dev.bee.core.object.BpfObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The one owner of everything a run takes from the kernel: the loaded object, the attachments (links,
 * tc filters, perf event fds, sockets) and the readers of its maps (ring and perf buffers). {@link
 * #close()} releases them in that order (detach, stop reading, unload), exactly once, whichever way
 * the run ends. The thread that polls readers must have stopped before close is called. Other threads
 * (the metrics endpoint) may read {@link #programStats()} at any time, before or after close.
 */
public final class Session implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final BpfObject object;
    private final ObjectHandle handle;
    private final List<Attachment> attachments = new ArrayList<>();
    private final List<AutoCloseable> readers = new ArrayList<>();
    private boolean closed;
    /** The kernel's switch for everyone's program statistics. */
    private static final Path STATS_SYSCTL = Path.of("/proc/sys/kernel/bpf_stats_enabled");
    private int runStatsFd = -1;

    Session(BpfObject object, ObjectHandle handle) {
        this.object = object;
        this.handle = handle;
    }

    public BpfObject object() {
        return object;
    }

    /** The loaded maps by name (libbpf's handles; valid until close). */
    public Optional<MapHandle> map(String name) {
        return handle.maps().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public synchronized List<Attachment> attachments() {
        return Collections.unmodifiableList(new ArrayList<>(attachments));
    }

    synchronized void addAttachment(Attachment a) {
        if (closed) {
            a.close();
            throw new IllegalStateException("session closed");
        }
        attachments.add(a);
    }

    /** Hands a map reader (ring buffer, perf buffer) to the session, which frees it after detaching. */
    public synchronized <T extends AutoCloseable> T own(T reader) {
        if (closed) {
            closeQuietly(reader);
            throw new IllegalStateException("session closed");
        }
        readers.add(reader);
        return reader;
    }

    /** What the kernel counts for one program during the run. */
    public record ProgramStats(String program, long runCount, long runTimeNanos) {
    }

    /** Turns on the kernel's run statistics until close (the kernel restores them when the fd closes). */
    synchronized void enableRunStats() {
        if (runStatsFd < 0) {
            runStatsFd = BpfCalls.enableRunStats();
        }
    }

    /**
     * Whether the kernel counts the programs' runs now: bee turned its statistics on (CAP_SYS_ADMIN), or
     * they are on for everyone ({@code sysctl kernel.bpf_stats_enabled=1}). Off, every count stays 0.
     */
    public synchronized boolean runStatsOn() {
        if (closed) {
            return false;
        }
        if (runStatsFd >= 0) {
            return true;
        }
        try {
            return Files.readString(STATS_SYSCTL).trim().equals("1");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Each program's run count and run time so far; empty once the session is closed or when statistics
     * are off. Safe from any thread (the program fds cannot close underneath: close takes the same lock).
     */
    public synchronized List<ProgramStats> programStats() {
        if (!runStatsOn()) {
            return List.of();
        }
        List<ProgramStats> out = new ArrayList<>();
        for (ProgramHandle p : handle.programs()) {
            try {
                ProgramHandle.RunStats s = p.runStats();
                out.add(new ProgramStats(p.name(), s.runCount(), s.runTimeNanos()));
            } catch (LibbpfException e) {
                LOG.debug("no statistics for {}: {}", p.name(), e.getMessage());
            }
        }
        return out;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Detaches every program (newest first; plain links all at once, as each waits in the kernel), so no
     * new events are produced; returns when all are detached. Readers and the object stay until
     * {@link #close()}, so what is already in the buffers can still be read. Idempotent.
     */
    public synchronized void detach() {
        List<Attachment> concurrent = attachments.stream().filter(Attachment::detachesConcurrently).toList();
        List<Thread> threads = new ArrayList<>();
        if (concurrent.size() > 1) {
            for (Attachment a : concurrent) {
                Thread t = new Thread(() -> detach(a), "bee-detach");
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }
        for (int i = attachments.size() - 1; i >= 0; i--) {
            Attachment a = attachments.get(i);
            if (threads.isEmpty() || !a.detachesConcurrently()) {
                detach(a);
            }
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the programs must be detached before anything else is released
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        attachments.clear();
    }

    private static void detach(Attachment a) {
        try {
            a.close();
            LOG.debug("detached {}", a.description());
        } catch (RuntimeException e) {
            LOG.warn("cannot detach {}: {}", a.description(), e.getMessage());
        }
    }

    /** Detaches every program, frees every reader, then closes the object. Idempotent; never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        detach();
        for (int i = readers.size() - 1; i >= 0; i--) {
            closeQuietly(readers.get(i));
        }
        readers.clear();
        if (runStatsFd >= 0) {
            Fds.close(runStatsFd);
            runStatsFd = -1;
        }
        try {
            handle.close();
            LOG.debug("closed object {}", handle.name());
        } catch (RuntimeException e) {
            LOG.warn("cannot close object {}: {}", handle.name(), e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("cannot free {}: {}", c, e.getMessage());
        }
    }
}
