package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Route netlink dumps (the tc filters of an interface), framed by {@code struct nlmsghdr}. */
public final class RouteNetlink {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int BUFFER = 64 * 1024;

    private RouteNetlink() {
    }

    /**
     * Sends one rtnetlink dump request (a whole message, header included) and returns every reply message,
     * concatenated, up to and including the one that ends the dump (NLMSG_DONE or NLMSG_ERROR).
     */
    public static byte[] dump(byte[] request) {
        Native n = Native.get();
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
            Pointer buf = Memory.allocateDirect(n.runtime, BUFFER, false);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                long r = n.net().recv(fd, buf, BUFFER, 0);
                if (r < 0) {
                    int e = n.errno();
                    if (e == Errno.EINTR) {
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

    /** Whether a datagram of netlink messages ends a dump. */
    static boolean endsDump(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + NlMsgHdr.SIZE <= datagram.length) {
            int len = b.getInt(at + NlMsgHdr.NLMSG_LEN);
            int type = b.getShort(at + NlMsgHdr.NLMSG_TYPE) & 0xffff;
            if (type == NLMSG_DONE || type == NLMSG_ERROR) {
                return true;
            }
            if (len < NlMsgHdr.SIZE) {
                return true;
            }
            at += (len + 3) & ~3;
        }
        return false;
    }
}
