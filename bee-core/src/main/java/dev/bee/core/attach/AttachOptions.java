package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

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

    /** Checked whatever the programs are: a wrong value is a wrong flag even when no tc program reads it. */
    public AttachOptions {
        tcDirection = tcDirection == null ? "ingress" : tcDirection;
        if (!tcDirection.equals("ingress") && !tcDirection.equals("egress")) {
            throw new BeeException(ErrorKind.USAGE, "--tc-direction must be ingress or egress, not " + tcDirection,
                    "use --tc-direction ingress or --tc-direction egress");
        }
        perfFrequency = perfFrequency <= 0 ? DEFAULT_PERF_FREQUENCY : perfFrequency;
    }
}
