package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.ByteArrayOutputStream;

/** File descriptors bee opens and reads around libbpf: cgroup folders, iterators, stdout's reader. */
public final class Fds {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final int READ_CHUNK = 64 * 1024;

    private Fds() {
    }

    /** Opens {@code path} read-only (files or directories such as cgroups); returns the fd. */
    public static int openReadOnly(String path) {
        Native n = Native.get();
        int fd = n.libc.open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            int e = n.errno();
            throw n.failure("open", e, e == Errno.ENOENT ? ErrorKind.NOT_FOUND : ErrorKind.KERNEL, "cannot open " + path,
                    null);
        }
        return fd;
    }

    public static void close(int fd) {
        if (fd >= 0) {
            Native.get().libc.close(fd);
        }
    }

    /** Reads an fd to its end or {@code limit} bytes (a BPF iterator's output). */
    public static byte[] readAll(int fd, int limit) {
        Native n = Native.get();
        Pointer buf = Memory.allocateDirect(n.runtime, READ_CHUNK, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < limit) {
            long r = n.libc.read(fd, buf, READ_CHUNK);
            if (r < 0) {
                int e = n.errno();
                if (e == Errno.EINTR || e == Errno.EAGAIN) {
                    continue;
                }
                throw n.failure("read", e, ErrorKind.KERNEL, "cannot read fd " + fd, null);
            }
            if (r == 0) {
                break;
            }
            byte[] b = new byte[(int) r];
            buf.get(0, b, 0, b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /**
     * Whether nobody reads {@code fd} any more: the write end of a pipe whose reader has gone (`| head -1`)
     * polls as an error. Files and terminals never do.
     */
    public static boolean readerGone(int fd) {
        Native n = Native.get();
        Pointer pfd = Memory.allocateDirect(n.runtime, PollFd.SIZE, true);
        pfd.putInt(PollFd.FD, fd);
        pfd.putShort(PollFd.EVENTS, (short) 0);
        if (n.libc.poll(pfd, 1, 0) <= 0) {
            return false;
        }
        short revents = pfd.getShort(PollFd.REVENTS);
        return (revents & (POLLERR | POLLHUP)) != 0;
    }
}
