package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Pointer;

/**
 * A libbpf {@code struct perf_buffer} over one perf event array map: per-CPU buffers, samples and
 * lost-record counts delivered on the polling thread. Same threading rules as {@link RingBufferHandle}.
 */
public final class PerfBufferHandle implements AutoCloseable {
    public interface Handler {
        void sample(int cpu, byte[] data);

        /** The kernel overwrote {@code count} records on {@code cpu} before they were read. */
        void lost(int cpu, long count);
    }

    private final Native n;
    private final Handler handler;
    /** Strong references: libbpf calls these until the buffer is freed. */
    private final LibBpfBuffers.PerfSampleFn sampleFn;
    private final LibBpfBuffers.PerfLostFn lostFn;
    private Pointer pb;
    private long bufferBytes;
    private Throwable failure;

    private PerfBufferHandle(Native n, Handler handler) {
        this.n = n;
        this.handler = handler;
        this.sampleFn = this::onSample;
        this.lostFn = this::onLost;
    }

    /** Opens per-CPU buffers of {@code pagesPerCpu} pages (a power of two) for a loaded perf event array. */
    public static PerfBufferHandle create(MapHandle map, int pagesPerCpu, Handler handler) {
        Native n = Native.get();
        PerfBufferHandle h = new PerfBufferHandle(n, handler);
        n.beginCall();
        Pointer pb = n.buffers().perf_buffer__new(map.fd(), pagesPerCpu, h.sampleFn, h.lostFn, null, null);
        if (pb == null || pb.address() == 0) {
            int e = n.errno();
            throw n.failure("perf_buffer__new", e == 0 ? Errno.EINVAL : e, ErrorKind.KERNEL,
                    "cannot read perf event array " + map.name(), null);
        }
        h.pb = pb;
        h.bufferBytes = (long) pagesPerCpu * n.libc.getpagesize();
        return h;
    }

    private void onSample(Pointer ctx, int cpu, Pointer data, int size) {
        try {
            byte[] copy = new byte[size];
            data.get(0, copy, 0, size);
            handler.sample(cpu, copy);
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    private void onLost(Pointer ctx, int cpu, long count) {
        try {
            handler.lost(cpu, count);
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    /** Bytes of each CPU's buffer. */
    public long bufferBytes() {
        return bufferBytes;
    }

    /** The epoll fd libbpf waits on: it polls readable while a buffer holds data. */
    public int epollFd() {
        return n.buffers().perf_buffer__epoll_fd(pb);
    }

    /** Reads what every CPU's buffer holds, without waiting (libbpf gives no count: the handler counts). */
    public void consume() {
        if (pb == null) {
            return;
        }
        int rc = n.buffers().perf_buffer__consume(pb);
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(t);
        }
        if (rc < 0 && Math.abs(rc) != Errno.EINTR) {
            throw n.failure("perf_buffer__consume", rc, ErrorKind.KERNEL, "cannot read perf buffers", null);
        }
    }

    @Override
    public synchronized void close() {
        if (pb != null) {
            Pointer p = pb;
            pb = null;
            n.buffers().perf_buffer__free(p);
        }
        java.lang.ref.Reference.reachabilityFence(sampleFn);
        java.lang.ref.Reference.reachabilityFence(lostFn);
    }
}
