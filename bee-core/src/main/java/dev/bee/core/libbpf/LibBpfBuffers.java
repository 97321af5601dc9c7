package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.size_t;

/**
 * libbpf's own ring buffer and perf buffer readers (one upcall per event), the fallbacks of bee's mapped
 * readers, and the map calls bee's perf buffer reader needs.
 * Bound on first use ({@link Native}); see {@link LibBpf}.
 */
public interface LibBpfBuffers {
    /** {@code ring_buffer_sample_fn}. */
    interface RingSampleFn {
        @Delegate
        int sample(Pointer ctx, Pointer data, @size_t long size);
    }

    /** {@code perf_buffer_sample_fn}. */
    interface PerfSampleFn {
        @Delegate
        void sample(Pointer ctx, int cpu, Pointer data, int size);
    }

    /** {@code perf_buffer_lost_fn}. */
    interface PerfLostFn {
        @Delegate
        void lost(Pointer ctx, int cpu, long count);
    }

    Pointer ring_buffer__new(int mapFd, RingSampleFn sample, Pointer ctx, Pointer opts);

    int ring_buffer__add(Pointer rb, int mapFd, RingSampleFn sample, Pointer ctx);

    int ring_buffer__consume(Pointer rb);

    void ring_buffer__free(Pointer rb);

    Pointer perf_buffer__new(int mapFd, @size_t long pageCount, PerfSampleFn sample, PerfLostFn lost, Pointer ctx,
                             Pointer opts);

    int perf_buffer__consume(Pointer pb);

    /** The epoll fd libbpf's reader waits on: readable when one of its buffers holds data. */
    int perf_buffer__epoll_fd(Pointer pb);

    int ring_buffer__epoll_fd(Pointer rb);

    /** A perf event array's slot for one CPU, which bee's own perf buffer reader fills ({@link PerfEventBuffer}). */
    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_delete_elem(int fd, Pointer key);

    void perf_buffer__free(Pointer pb);
}
