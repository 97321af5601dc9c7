package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An {@code eventfd(2)} another thread writes to wake a thread asleep in {@code poll(2)} over it and
 * other fds ({@link ReadableWait}), so that a reader that waits for events without a timeout still stops
 * at once. It stays readable once woken: a wake is for good.
 */
public final class WakeFd implements AutoCloseable {
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;

    private final Native n;
    private final Pointer one;
    private int fd;

    private WakeFd(Native n, int fd) {
        this.n = n;
        this.fd = fd;
        this.one = Memory.allocateDirect(n.runtime, 8, true);
        this.one.putLong(0, 1);
    }

    public static WakeFd open() {
        Native n = Native.get();
        int fd = n.libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0) {
            throw n.failure("eventfd", n.errno(), ErrorKind.KERNEL, "cannot make a wake-up fd", null);
        }
        return new WakeFd(n, fd);
    }

    public synchronized int fd() {
        return fd;
    }

    /** Makes the fd readable; a thread in poll(2) over it returns. */
    public synchronized void wake() {
        if (fd >= 0) {
            n.libc.write(fd, one, 8);
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            n.libc.close(fd);
            fd = -1;
        }
    }
}
