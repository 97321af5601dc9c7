package dev.bee.core.libbpf;

/** The kernel's {@code struct sockaddr_ll}: a packet socket's address (family, protocol, interface). */
final class SockaddrLl {
    static final int SIZE = 20;
    static final int SLL_FAMILY = 0;
    static final int SLL_PROTOCOL = 2;
    static final int SLL_IFINDEX = 4;
    static final StructLayout LAYOUT = StructLayout.of("linux/if_packet.h", "sockaddr_ll", SIZE, "sll_family",
            SLL_FAMILY, "sll_protocol", SLL_PROTOCOL, "sll_ifindex", SLL_IFINDEX);

    private SockaddrLl() {
    }
}
