package dev.bee.core.libbpf;

/** The kernel's {@code struct nlmsghdr}: each netlink message's header. */
final class NlMsgHdr {
    static final int SIZE = 16;
    static final int NLMSG_LEN = 0;
    static final int NLMSG_TYPE = 4;
    static final StructLayout LAYOUT = StructLayout.of("linux/netlink.h", "nlmsghdr", SIZE, "nlmsg_len", NLMSG_LEN,
            "nlmsg_type", NLMSG_TYPE);

    private NlMsgHdr() {
    }
}
