package dev.bee.core.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Container names from a runtime's API, resolved on a thread of their own: the event path only reads a
 * map and, for an id it does not know, asks for a refresh without waiting. The list is fetched again at
 * most once a second, and only when an unknown id was asked for. An unreachable API means no names,
 * said once; it is tried again at that pace while unknown ids are asked for (the runtime may start later).
 */
public final class RuntimeNames implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeNames.class);
    static final long REFRESH_NANOS = 1_000_000_000L;

    /** Where names come from (a runtime's API). */
    public interface Source {
        Map<String, ContainerName> containers() throws IOException;

        String describe();
    }

    private final Source source;
    private volatile Map<String, ContainerName> byId = Map.of();
    private final Map<String, Boolean> unknown = new ConcurrentHashMap<>();
    private volatile boolean wanted = true;
    private volatile boolean closed;
    private boolean warned;
    private volatile boolean reached;
    private final Thread thread;

    private RuntimeNames(Source source) {
        this.source = source;
        this.thread = new Thread(this::loop, "bee-container-names");
        thread.setDaemon(true);
    }

    /**
     * Starts resolving names from {@code source}, after one list on this thread (bounded by the source's
     * timeout), so the containers already running are named from the first record on.
     */
    public static RuntimeNames start(Source source) {
        RuntimeNames n = new RuntimeNames(source);
        n.wanted = false;
        n.refresh();
        n.thread.start();
        return n;
    }

    /** The names of container {@code id} (full id), or null while unknown. Never blocks. */
    public ContainerName of(String id) {
        ContainerName n = byId.get(id);
        if (n == null && unknown.size() < 4096 && unknown.putIfAbsent(id, Boolean.TRUE) == null) {
            wanted = true;
            LockSupport.unpark(thread);
        }
        return n;
    }

    /** Whether the source answered at least once: then a name is worth waiting for. */
    public boolean reachedOnce() {
        return reached;
    }

    private void loop() {
        while (!closed) {
            if (wanted) {
                wanted = false;
                refresh();
            }
            LockSupport.parkNanos(REFRESH_NANOS);
        }
    }

    private void refresh() {
        try {
            Map<String, ContainerName> all = Map.copyOf(source.containers());
            byId = all;
            if (!reached) {
                reached = true;
                LOG.debug("{}: {} containers", source.describe(), all.size());
            }
            if (warned) {
                warned = false;
                LOG.warn("{} answers again: records carry container names", source.describe());
            }
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("{} does not answer ({}): records carry container ids without names", source.describe(),
                        e.getMessage());
            }
        }
        // ids still unknown after a refresh are asked for again only after the next interval
        unknown.clear();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
