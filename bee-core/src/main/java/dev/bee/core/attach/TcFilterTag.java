package dev.bee.core.attach;

/**
 * How bee marks the netlink tc filters it adds (where tcx links are missing), so it touches only its own
 * and can tell whether their owner still runs: every bee filter has priority {@link #PRIORITY} ("pref
 * 48864" in {@code tc filter show}) and a handle with the top bit set, the owning bee's pid in bits 8-29
 * and a per-process sequence number in bits 0-7. The kernel never picks such a handle itself (cls_bpf
 * numbers filters from 1 up to 2^31-1), so a filter another tool added by default cannot look like bee's.
 */
final class TcFilterTag {
    static final int PRIORITY = 0xBEE0;
    private static final int MARK = 0x80000000;
    private static final int SEQ_BITS = 8;
    private static final int SEQ_MASK = (1 << SEQ_BITS) - 1;
    /** PID_MAX_LIMIT on 64-bit kernels: pids fit in 22 bits. */
    private static final long PID_LIMIT = 1L << 22;

    private TcFilterTag() {
    }

    /** The handle of filter number {@code seq} (0-255) of bee process {@code pid}. */
    static int handle(long pid, int seq) {
        if (pid <= 0 || pid >= PID_LIMIT) {
            throw new IllegalArgumentException("pid out of range: " + pid);
        }
        if (seq < 0 || seq > SEQ_MASK) {
            throw new IllegalArgumentException("sequence out of range: " + seq);
        }
        return MARK | (int) (pid << SEQ_BITS) | seq;
    }

    /** The most filters one bee process tags. */
    static int maxPerProcess() {
        return SEQ_MASK + 1;
    }

    /** Whether a filter with this priority, kind and handle is one bee added. */
    static boolean isBee(int priority, String kind, int handle) {
        return priority == PRIORITY && "bpf".equals(kind) && (handle & MARK) != 0;
    }

    /** The pid of the bee process that added the filter with {@code handle}. */
    static long ownerPid(int handle) {
        return (handle & ~MARK) >>> SEQ_BITS;
    }
}
