package dev.bee.core.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * How to load and attach an object: global overrides, pin folders, and the targets that some program
 * kinds need (interface, tc direction, cgroup, perf frequency, process).
 *
 * @param sets          {@code NAME=VALUE} overrides of const volatile globals
 * @param pinMaps       folder to pin maps in (kept after exit), or null
 * @param pinProgs      folder to pin programs in (kept after exit), or null
 * @param iface         network interface for xdp, tc and socket filters, or null
 * @param tcDirection   direction for tc programs whose section does not say: "ingress" or "egress"
 * @param cgroup        cgroup (v2 folder) for cgroup programs, or null
 * @param perfFrequency sampling frequency in Hz for perf_event programs
 * @param pid           process for uprobes and USDTs, -1 for all
 * @param runStats      have the kernel count each program's runs and run time (BPF_ENABLE_STATS) during the run
 */
public record RunOptions(List<String> sets, Path pinMaps, Path pinProgs, String iface, String tcDirection, Path cgroup,
                         long perfFrequency, int pid, boolean runStats) {
    public static final long DEFAULT_PERF_FREQUENCY = 49;

    public RunOptions {
        sets = sets == null ? List.of() : List.copyOf(sets);
        tcDirection = tcDirection == null ? "ingress" : tcDirection;
        perfFrequency = perfFrequency <= 0 ? DEFAULT_PERF_FREQUENCY : perfFrequency;
    }

    public static RunOptions defaults() {
        return new RunOptions(List.of(), null, null, null, null, null, DEFAULT_PERF_FREQUENCY, -1, false);
    }
}
