package dev.bee.core.libbpf;

import dev.bee.core.kernel.Seccomp;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The probes' calls reach the kernel, which answers them with the errnos that tell it apart from a
 * seccomp filter (a filter's EPERM is shown under podman in bee-cli's PodmanIT).
 */
class SeccompProbesIT {
    @Test
    void theKernelAnswersTheProbesWithItsOwnErrnos() {
        Requirements.requireRoot();
        assertEquals(Errno.EINVAL, BpfCalls.probe(), "bpf(BPF_MAP_CREATE) of no map type");
        assertEquals(Errno.EFAULT, PerfEvents.probe(), "perf_event_open(NULL)");
        assertEquals(Optional.empty(), Seccomp.refusal(Seccomp.Mode.FILTER, BpfCalls::probe,
                PerfEvents::probe), "no filter refuses them here");
    }
}
