package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Waits with {@code poll(2)} until one of a fixed set of fds is readable (ring buffer maps poll
 * readable while they hold data). The pollfd array is allocated once: a reader waits once per batch of
 * events, at high rates many times a second.
 */
public final class ReadableWait {
    private static final short POLLIN = 1;

    private final Native n;
    private final int count;
    private final Pointer fds;

    public ReadableWait(int... fds) {
        this.n = Native.get();
        this.count = fds.length;
        this.fds = Memory.allocateDirect(n.runtime, 8L * fds.length, true);
        for (int i = 0; i < fds.length; i++) {
            this.fds.putInt(8L * i, fds[i]);
            this.fds.putShort(8L * i + 4, POLLIN);
        }
    }

    /** Waits up to {@code timeoutMs} (0: not at all); returns how many fds are readable (0 on timeout or a signal). */
    public int await(int timeoutMs) {
        int rc = n.libc.poll(fds, count, timeoutMs);
        if (rc < 0) {
            int e = n.errno();
            if (e == Errno.EINTR) {
                return 0;
            }
            throw n.failure("poll", e, ErrorKind.KERNEL, "cannot wait for ring buffers", null);
        }
        return rc;
    }
}
