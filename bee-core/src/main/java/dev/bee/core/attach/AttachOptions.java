package dev.bee.core.attach;

import java.nio.file.Path;

/**
 * The targets that some program kinds need to be attached: interface, tc direction, cgroup, perf
 * frequency, process.
 *
 * @param iface         network interface for xdp, tc and socket filters, or null
 * @param tcDirection   direction for tc programs whose section does not say: "ingress" or "egress"
 * @param cgroup        cgroup (v2 folder) for cgroup programs, or null
 * @param perfFrequency sampling frequency in Hz for perf_event programs
 * @param pid           process for uprobes and USDTs, -1 for all
 */
public record AttachOptions(String iface, String tcDirection, Path cgroup, long perfFrequency, int pid) {
    public static final long DEFAULT_PERF_FREQUENCY = 49;

    public AttachOptions {
        tcDirection = tcDirection == null ? "ingress" : tcDirection;
        perfFrequency = perfFrequency <= 0 ? DEFAULT_PERF_FREQUENCY : perfFrequency;
    }
}
