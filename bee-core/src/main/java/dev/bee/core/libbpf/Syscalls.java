package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.ByteArrayOutputStream;

/**
 * The system calls bee makes around libbpf (through libc): the memlock limit, mounts, interface
 * indexes, file descriptors for cgroups and iterators, perf events, packet sockets and route netlink dumps. Errors carry
 * errno as {@link LibbpfException}s.
 */
public final class Syscalls {
    private static final int RLIMIT_MEMLOCK = 8;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int AF_PACKET = 17;
    private static final int AF_NETLINK = 16;
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NETLINK_BUFFER = 64 * 1024;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int ETH_P_ALL_BE = 0x0300; // htons(ETH_P_ALL)
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;
    private static final int PERF_ATTR_SIZE = 128;
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final int PERF_COUNT_SW_CPU_CLOCK = 0;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;

    private Syscalls() {
    }

    private static Native n() {
        return Native.get();
    }

    /**
     * Turns on the kernel's per-program run statistics (BPF_ENABLE_STATS with BPF_STATS_RUN_TIME) for as
     * long as the returned fd is open; closing it (or the process ending) puts the kernel back as it was.
     */
    public static int enableRunStats() {
        Native n = n();
        int fd = n.bpf.bpf_enable_stats(0 /* BPF_STATS_RUN_TIME */);
        if (fd < 0) {
            throw n.failure("bpf_enable_stats", fd, ErrorKind.KERNEL, "cannot turn on BPF run statistics", null);
        }
        return fd;
    }

    /**
     * Whether nobody reads {@code fd} any more: the write end of a pipe whose reader has gone (`| head -1`)
     * polls as an error. Files and terminals never do.
     */
    public static boolean readerGone(int fd) {
        Native n = n();
        Pointer pfd = Memory.allocateDirect(n.runtime, 8, true);
        pfd.putInt(0, fd);
        pfd.putShort(4, (short) 0);
        if (n.libc.poll(pfd, 1, 0) <= 0) {
            return false;
        }
        short revents = pfd.getShort(6);
        return (revents & (POLLERR | POLLHUP)) != 0;
    }

    /**
     * The system libbpf's version, e.g. {@code 1.1.2}: read from the name the library file carries
     * ({@code libbpf.so.1 -> libbpf.so.1.1.2}), which costs no binding; else asked of libbpf itself.
     * Empty when libbpf is not installed.
     */
    public static java.util.Optional<String> libbpfVersion() {
        for (String dir : LIBRARY_DIRS) {
            java.nio.file.Path so = java.nio.file.Path.of(dir, Native.LIBBPF_SONAME);
            try {
                String real = so.toRealPath().getFileName().toString();
                if (real.startsWith("libbpf.so.") && real.length() > "libbpf.so.".length()) {
                    return java.util.Optional.of(real.substring("libbpf.so.".length()));
                }
            } catch (java.io.IOException e) {
                // not in this folder
            }
        }
        if (!Native.available()) {
            return java.util.Optional.empty();
        }
        Native n = n();
        return java.util.Optional.of(n.bpf.libbpf_major_version() + "." + n.bpf.libbpf_minor_version());
    }

    private static final java.util.List<String> LIBRARY_DIRS = java.util.List.of("/usr/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib", "/usr/local/lib");

    /** Whether libbpf.so.1 (and libc) can be loaded on this machine. */
    public static boolean libbpfAvailable() {
        return Native.available();
    }

    /** Raises RLIMIT_MEMLOCK to unlimited (kernels before 5.11 charge BPF memory to it); false if refused. */
    public static boolean raiseMemlockLimit() {
        Native n = n();
        Pointer rl = Memory.allocateDirect(n.runtime, 16, true);
        rl.putLong(0, -1L);
        rl.putLong(8, -1L);
        if (n.libc.setrlimit(RLIMIT_MEMLOCK, rl) == 0) {
            return true;
        }
        // Without CAP_SYS_RESOURCE only the soft limit can rise, up to the hard one.
        if (n.libc.getrlimit(RLIMIT_MEMLOCK, rl) != 0) {
            return false;
        }
        rl.putLong(0, rl.getLong(8));
        return n.libc.setrlimit(RLIMIT_MEMLOCK, rl) == 0;
    }

    /** {@code mount -t type source target}. */
    public static void mount(String source, String target, String type) {
        Native n = n();
        if (n.libc.mount(source, target, type, 0, null) != 0) {
            int e = n.errno();
            throw n.failure("mount", e, e == Errno.EPERM ? ErrorKind.PERMISSION : ErrorKind.KERNEL,
                    "cannot mount " + type + " at " + target, "mount -t " + type + " " + source + " " + target);
        }
    }

    /** The index of network interface {@code name}, or 0 if there is none. */
    public static int interfaceIndex(String name) {
        return n().net().if_nametoindex(name);
    }

    /** Opens {@code path} read-only (files or directories such as cgroups); returns the fd. */
    public static int openReadOnly(String path) {
        Native n = n();
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
            n().libc.close(fd);
        }
    }

    /** Reads an fd to its end (a BPF iterator's output). */
    public static byte[] readAll(int fd, int limit) {
        Native n = n();
        Pointer buf = Memory.allocateDirect(n.runtime, 64 * 1024, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < limit) {
            long r = n.libc.read(fd, buf, 64 * 1024);
            if (r < 0) {
                int e = n.errno();
                if (e == 4 /* EINTR */ || e == Errno.EAGAIN) {
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

    /** Creates the iterator of an attached {@code iter/} link; read it with {@link #readAll}. */
    public static int iterCreate(LinkHandle link) {
        Native n = n();
        int fd = n.attach().bpf_iter_create(link.fd());
        if (fd < 0) {
            throw n.failure("bpf_iter_create", fd, ErrorKind.KERNEL, "cannot create an iterator for " + link, null);
        }
        return fd;
    }

    /** Number of possible CPUs, the size of per-CPU map values (libbpf's count). */
    public static int possibleCpus() {
        Native n = n();
        int c = n.bpf.libbpf_num_possible_cpus();
        if (c <= 0) {
            throw n.failure("libbpf_num_possible_cpus", c, ErrorKind.KERNEL, "cannot count CPUs", null);
        }
        return c;
    }

    /** A software CPU-clock perf event sampling at {@code frequency} Hz on {@code cpu}, all processes. */
    public static int perfEventOpenCpuClock(int cpu, long frequency) {
        Native n = n();
        Pointer attr = Memory.allocateDirect(n.runtime, PERF_ATTR_SIZE, true);
        attr.putInt(0, PERF_TYPE_SOFTWARE);
        attr.putInt(4, PERF_ATTR_SIZE);
        attr.putLong(8, PERF_COUNT_SW_CPU_CLOCK);
        attr.putLong(16, frequency);
        attr.putLong(40, 1L << 10); // freq: sample_freq rather than sample_period
        long fd = n.libc.syscall(SyscallNumbers.host().perfEventOpen(), attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            int e = n.errno();
            throw n.failure("perf_event_open", e, e == Errno.EACCES || e == Errno.EPERM ? ErrorKind.PERMISSION
                    : ErrorKind.KERNEL, "cannot open a CPU clock perf event on CPU " + cpu, null);
        }
        return (int) fd;
    }

    /**
     * The errno of {@code bpf(BPF_MAP_CREATE, attr, 0)}: an all-zero attribute of no map type, which the
     * kernel answers EINVAL; a seccomp filter answers EPERM or ENOSYS. For telling the two apart.
     */
    public static int probeBpf() {
        Native n = n();
        long nr = SyscallNumbers.host().bpf();
        if (nr < 0) {
            return Errno.EINVAL;
        }
        Pointer attr = Memory.allocateDirect(n.runtime, 8, true);
        long rc = n.libc.syscall(nr, 0 /* BPF_MAP_CREATE */, attr.address(), 0);
        if (rc >= 0) {
            n.libc.close((int) rc);
            return 0;
        }
        return n.errno();
    }

    /**
     * The errno of {@code perf_event_open(NULL, ...)}, which the kernel answers EFAULT; a seccomp filter
     * answers EPERM or ENOSYS.
     */
    public static int probePerfEventOpen() {
        Native n = n();
        long nr = SyscallNumbers.host().perfEventOpen();
        if (nr < 0) {
            return Errno.EFAULT;
        }
        long rc = n.libc.syscall(nr, null, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
        if (rc >= 0) {
            n.libc.close((int) rc);
            return 0;
        }
        return n.errno();
    }

    /**
     * A packet socket receiving every packet of interface {@code ifindex} (0: all), with {@code progFd}
     * attached as its socket filter. Returns the socket's fd, which the caller closes to detach.
     */
    public static int packetSocketWithFilter(int ifindex, int progFd) {
        Native n = n();
        int fd = n.net().socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, ETH_P_ALL_BE);
        if (fd < 0) {
            int e = n.errno();
            throw n.failure("socket", e, e == Errno.EPERM ? ErrorKind.PERMISSION : ErrorKind.KERNEL,
                    "cannot open a packet socket", null);
        }
        Pointer v = Memory.allocateDirect(n.runtime, 4, true);
        v.putInt(0, progFd);
        if (n.net().setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, v, 4) != 0) {
            int e = n.errno();
            n.libc.close(fd);
            throw n.failure("setsockopt(SO_ATTACH_BPF)", e, ErrorKind.KERNEL, "cannot attach the socket filter", null);
        }
        if (ifindex > 0) {
            Pointer sll = Memory.allocateDirect(n.runtime, 20, true);
            sll.putShort(0, (short) AF_PACKET);
            sll.putShort(2, (short) ETH_P_ALL_BE);
            sll.putInt(4, ifindex);
            if (n.net().bind(fd, sll, 20) != 0) {
                int e = n.errno();
                n.libc.close(fd);
                throw n.failure("bind", e, ErrorKind.KERNEL, "cannot bind the packet socket to interface " + ifindex,
                        null);
            }
        }
        return fd;
    }

    /**
     * Sends one rtnetlink dump request (a whole message, header included) and returns every reply message,
     * concatenated, up to and including the one that ends the dump (NLMSG_DONE or NLMSG_ERROR).
     */
    public static byte[] routeNetlinkDump(byte[] request) {
        Native n = n();
        int fd = n.net().socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            int e = n.errno();
            throw n.failure("socket", e, ErrorKind.KERNEL, "cannot open a route netlink socket", null);
        }
        try {
            Pointer req = Memory.allocateDirect(n.runtime, request.length, true);
            req.put(0, request, 0, request.length);
            if (n.net().send(fd, req, request.length, 0) != request.length) {
                int e = n.errno();
                throw n.failure("send", e, ErrorKind.KERNEL, "cannot send a route netlink request", null);
            }
            Pointer buf = Memory.allocateDirect(n.runtime, NETLINK_BUFFER, false);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                long r = n.net().recv(fd, buf, NETLINK_BUFFER, 0);
                if (r < 0) {
                    int e = n.errno();
                    if (e == 4 /* EINTR */) {
                        continue;
                    }
                    throw n.failure("recv", e, ErrorKind.KERNEL, "cannot read a route netlink reply", null);
                }
                byte[] b = new byte[(int) r];
                buf.get(0, b, 0, b.length);
                out.writeBytes(b);
                if (r == 0 || endsDump(b)) {
                    return out.toByteArray();
                }
            }
        } finally {
            n.libc.close(fd);
        }
    }

    /** Whether a datagram of netlink messages (struct nlmsghdr: u32 length, u16 type, ...) ends a dump. */
    private static boolean endsDump(byte[] datagram) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(datagram).order(java.nio.ByteOrder.nativeOrder());
        int at = 0;
        while (at + 16 <= datagram.length) {
            int len = b.getInt(at);
            int type = b.getShort(at + 4) & 0xffff;
            if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                return true;
            }
            if (len < 16) {
                return true;
            }
            at += (len + 3) & ~3;
        }
        return false;
    }
}
