package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.size_t;

/**
 * libbpf's own ring buffer and perf buffer readers (one upcall per event): the ring buffer reader is
 * the fallback of bee's mapped one, perf buffers are read with it.
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

    int ring_buffer__poll(Pointer rb, int timeoutMs);

    int ring_buffer__consume(Pointer rb);

    void ring_buffer__free(Pointer rb);

    Pointer perf_buffer__new(int mapFd, @size_t long pageCount, PerfSampleFn sample, PerfLostFn lost, Pointer ctx,
                             Pointer opts);

    int perf_buffer__poll(Pointer pb, int timeoutMs);

    void perf_buffer__free(Pointer pb);
}
