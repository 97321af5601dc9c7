package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Network interfaces by name, and the packet sockets socket filters are attached to. */
public final class PacketSockets {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int ETH_P_ALL_BE = 0x0300; // htons(ETH_P_ALL)
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;

    private PacketSockets() {
    }

    /** The index of network interface {@code name}, or 0 if there is none. */
    public static int interfaceIndex(String name) {
        return Native.get().net().if_nametoindex(name);
    }

    /**
     * A packet socket receiving every packet of interface {@code ifindex} (0: all), with {@code progFd}
     * attached as its socket filter. Returns the socket's fd, which the caller closes to detach.
     */
    public static int withFilter(int ifindex, int progFd) {
        Native n = Native.get();
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
            Pointer sll = Memory.allocateDirect(n.runtime, SockaddrLl.SIZE, true);
            sll.putShort(SockaddrLl.SLL_FAMILY, (short) AF_PACKET);
            sll.putShort(SockaddrLl.SLL_PROTOCOL, (short) ETH_P_ALL_BE);
            sll.putInt(SockaddrLl.SLL_IFINDEX, ifindex);
            if (n.net().bind(fd, sll, SockaddrLl.SIZE) != 0) {
                int e = n.errno();
                n.libc.close(fd);
                throw n.failure("bind", e, ErrorKind.KERNEL, "cannot bind the packet socket to interface " + ifindex,
                        null);
            }
        }
        return fd;
    }
}
