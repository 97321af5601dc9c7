package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.RouteNetlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the tc filters on one side (ingress or egress) of an interface's clsact qdisc, as {@code tc filter
 * show dev X ingress} does: an RTM_GETTFILTER dump over route netlink, whose replies this class parses
 * (libbpf 1.1 can only query a filter whose handle and priority it is given).
 */
final class TcFilterDump {
    private static final int NLMSG_HEADER = 16;
    private static final int TCMSG = 20;
    private static final int RTM_NEWTFILTER = 44;
    private static final int RTM_GETTFILTER = 46;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_DUMP = 0x300;
    private static final int TCA_KIND = 1;
    private static final int TCA_OPTIONS = 2;
    private static final int TCA_BPF_NAME = 7;
    private static final int NLA_TYPE_MASK = 0x3fff;
    /** TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS) and ..._EGRESS: the two sides of clsact. */
    private static final int PARENT_INGRESS = 0xFFFFFFF2;
    private static final int PARENT_EGRESS = 0xFFFFFFF3;

    /** One filter: its handle, priority ("pref"), kind ("bpf", "u32", ...) and, for bpf, the program's name. */
    record Filter(int handle, int priority, String kind, String name) {
    }

    private TcFilterDump() {
    }

    /** The filters on {@code ifindex}'s clsact ingress or egress side. */
    static List<Filter> list(int ifindex, boolean ingress) {
        return parse(RouteNetlink.dump(request(ifindex, ingress)));
    }

    /** The dump request: struct nlmsghdr, then struct tcmsg naming the interface and the clsact side. */
    static byte[] request(int ifindex, boolean ingress) {
        ByteBuffer b = ByteBuffer.allocate(NLMSG_HEADER + TCMSG).order(ByteOrder.nativeOrder());
        b.putInt(NLMSG_HEADER + TCMSG);
        b.putShort((short) RTM_GETTFILTER);
        b.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
        b.putInt(1); // sequence
        b.putInt(0); // port id: the kernel fills it in
        b.put((byte) 0); // AF_UNSPEC
        b.put((byte) 0);
        b.putShort((short) 0);
        b.putInt(ifindex);
        b.putInt(0); // handle
        b.putInt(ingress ? PARENT_INGRESS : PARENT_EGRESS);
        b.putInt(0); // info: every priority and protocol
        return b.array();
    }

    /**
     * The filters in a dump's replies. The kernel sends one message per priority and protocol (handle 0)
     * besides one per filter; only filters are returned.
     */
    static List<Filter> parse(byte[] replies) {
        ByteBuffer b = ByteBuffer.wrap(replies).order(ByteOrder.nativeOrder());
        List<Filter> out = new ArrayList<>();
        int at = 0;
        while (at + NLMSG_HEADER <= replies.length) {
            int len = b.getInt(at);
            int type = b.getShort(at + 4) & 0xffff;
            if (len < NLMSG_HEADER || at + len > replies.length) {
                throw malformed("a message of " + len + " bytes at " + at);
            }
            if (type == NLMSG_DONE) {
                return out;
            }
            if (type == NLMSG_ERROR) {
                int err = len >= NLMSG_HEADER + 4 ? -b.getInt(at + NLMSG_HEADER) : Errno.EINVAL;
                if (err == 0) {
                    return out;
                }
                throw new BeeException(ErrorKind.KERNEL, "the kernel refused to list tc filters: " + Errno.name(err),
                        "check the interface with 'tc filter show dev IFACE ingress'");
            }
            if (type == RTM_NEWTFILTER && len >= NLMSG_HEADER + TCMSG) {
                int handle = b.getInt(at + NLMSG_HEADER + 8);
                int info = b.getInt(at + NLMSG_HEADER + 16);
                if (handle != 0) {
                    out.add(filter(b, at + NLMSG_HEADER + TCMSG, at + len, handle, info >>> 16));
                }
            }
            at += align(len);
        }
        return out;
    }

    private static Filter filter(ByteBuffer b, int from, int to, int handle, int priority) {
        String kind = null;
        String name = null;
        for (int at = from; at + 4 <= to; ) {
            int len = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & NLA_TYPE_MASK;
            if (len < 4 || at + len > to) {
                throw malformed("an attribute of " + len + " bytes");
            }
            if (type == TCA_KIND) {
                kind = string(b, at + 4, at + len);
            } else if (type == TCA_OPTIONS) {
                name = nestedString(b, at + 4, at + len, TCA_BPF_NAME);
            }
            at += align(len);
        }
        return new Filter(handle, priority, kind, name);
    }

    private static String nestedString(ByteBuffer b, int from, int to, int wanted) {
        for (int at = from; at + 4 <= to; ) {
            int len = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & NLA_TYPE_MASK;
            if (len < 4 || at + len > to) {
                return null;
            }
            if (type == wanted) {
                return string(b, at + 4, at + len);
            }
            at += align(len);
        }
        return null;
    }

    private static String string(ByteBuffer b, int from, int to) {
        int end = from;
        while (end < to && b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - from];
        b.get(from, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    private static BeeException malformed(String what) {
        return new BeeException(ErrorKind.INTERNAL, "malformed route netlink reply: " + what);
    }
}
