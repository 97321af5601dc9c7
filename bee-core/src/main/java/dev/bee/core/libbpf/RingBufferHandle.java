package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Pointer;

import java.util.List;

/**
 * A libbpf {@code struct ring_buffer} over one or more ring buffer maps. Samples are delivered to the
 * {@link Handler} on the thread that calls {@link #poll(int)}, as copies (the ring's memory is reused
 * as soon as the callback returns). Only one thread may poll, and {@link #close()} must not run while
 * it does: the owner stops polling first.
 */
public final class RingBufferHandle implements AutoCloseable {
    /** Receives each sample of the map at {@code index} (the position in the list given to create). */
    public interface Handler {
        void sample(int index, byte[] data);
    }

    private final Native n;
    private final Handler handler;
    /** Strong reference: libbpf calls this closure until the ring buffer is freed. */
    private final LibBpfBuffers.RingSampleFn callback;
    private Pointer rb;
    private Throwable failure;

    private RingBufferHandle(Native n, Handler handler) {
        this.n = n;
        this.handler = handler;
        this.callback = this::onSample;
    }

    /** A ring buffer manager reading the given loaded ring buffer maps. */
    public static RingBufferHandle create(List<MapHandle> maps, Handler handler) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("no ring buffer maps");
        }
        Native n = Native.get();
        RingBufferHandle h = new RingBufferHandle(n, handler);
        n.beginCall();
        Pointer rb = n.buffers().ring_buffer__new(maps.get(0).fd(), h.callback, ctx(n, 0), null);
        if (rb == null || rb.address() == 0) {
            int e = n.errno();
            throw n.failure("ring_buffer__new", e == 0 ? Errno.EINVAL : e, ErrorKind.KERNEL,
                    "cannot read ring buffer " + maps.get(0).name(), null);
        }
        h.rb = rb;
        for (int i = 1; i < maps.size(); i++) {
            int rc = n.buffers().ring_buffer__add(rb, maps.get(i).fd(), h.callback, ctx(n, i));
            if (rc < 0) {
                h.close();
                throw n.failure("ring_buffer__add", rc, ErrorKind.KERNEL, "cannot read ring buffer " + maps.get(i).name(),
                        null);
            }
        }
        return h;
    }

    private static Pointer ctx(Native n, int index) {
        // The context is the map's index, carried in the pointer value itself.
        return Pointer.wrap(n.runtime, index + 1L);
    }

    private int onSample(Pointer ctx, Pointer data, long size) {
        try {
            int index = (int) (ctx.address() - 1);
            byte[] copy = new byte[(int) size];
            data.get(0, copy, 0, copy.length);
            handler.sample(index, copy);
            return 0;
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
            return -1; // stops this poll; poll() rethrows
        }
    }

    /** Consumes what is available without waiting. */
    public int consume() {
        if (rb == null) {
            return 0;
        }
        int rc = n.buffers().ring_buffer__consume(rb);
        rethrow();
        return Math.max(rc, 0);
    }

    private void rethrow() {
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(t);
        }
    }

    /** The epoll fd libbpf waits on: it polls readable while a buffer holds data. */
    public int epollFd() {
        return n.buffers().ring_buffer__epoll_fd(rb);
    }

    @Override
    public synchronized void close() {
        if (rb != null) {
            Pointer p = rb;
            rb = null;
            n.buffers().ring_buffer__free(p);
        }
        java.lang.ref.Reference.reachabilityFence(callback);
    }
}
