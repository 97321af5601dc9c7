package dev.bee.core.kernel;

import java.util.Locale;

/**
 * The Linux capabilities bee may need, with their bit numbers in the masks of /proc/PID/status
 * (linux/capability.h). CAP_PERFMON and CAP_BPF came with kernel 5.8; before, CAP_SYS_ADMIN did their work.
 */
public enum Capability {
    DAC_OVERRIDE(1), DAC_READ_SEARCH(2), NET_ADMIN(12), NET_RAW(13), SYS_ADMIN(21), PERFMON(38), BPF(39);

    private final int bit;

    Capability(int bit) {
        this.bit = bit;
    }

    /** The capability's number, its bit in a capability mask. */
    public int bit() {
        return bit;
    }

    /** The name man pages and systemd use, e.g. CAP_BPF. */
    public String capName() {
        return "CAP_" + name();
    }

    /** The name setpriv and capsh take, e.g. bpf. */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
