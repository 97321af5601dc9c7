package dev.bee.core.libbpf;

/** libc's {@code struct pollfd}. */
final class PollFd {
    static final int SIZE = 8;
    static final int FD = 0;
    static final int EVENTS = 4;
    static final int REVENTS = 6;
    static final StructLayout LAYOUT = StructLayout.of("poll.h", "pollfd", SIZE, "fd", FD, "events", EVENTS,
            "revents", REVENTS);

    private PollFd() {
    }
}
