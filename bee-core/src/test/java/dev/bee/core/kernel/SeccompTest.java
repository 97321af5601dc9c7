package dev.bee.core.kernel;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeccompTest {
    private static final int EPERM = 1;
    private static final int EFAULT = 14;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;

    @Test
    void readsTheModeFromProcStatus() {
        assertEquals(Seccomp.Mode.FILTER, Seccomp.parse("Name:\tjava\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n"));
        assertEquals(Seccomp.Mode.DISABLED, Seccomp.parse("Seccomp:\t0\n"));
        assertEquals(Seccomp.Mode.STRICT, Seccomp.parse("Seccomp:\t1\n"));
        assertEquals(Seccomp.Mode.UNKNOWN, Seccomp.parse("Name:\tjava\n"));
    }

    @Test
    void aFilterAnsweringEpermWhereTheKernelSaysEinvalIsNamed() {
        assertEquals(Optional.of("a seccomp filter (Seccomp: 2 in /proc/self/status) refuses bpf(2) and perf_event_open(2)"),
                Seccomp.refusal(Seccomp.Mode.FILTER, () -> EPERM, () -> EPERM));
        assertEquals(Optional.of("a seccomp filter (Seccomp: 2 in /proc/self/status) refuses perf_event_open(2)"),
                Seccomp.refusal(Seccomp.Mode.FILTER, () -> EINVAL, () -> ENOSYS));
    }

    @Test
    void theKernelsOwnAnswersMeanNoFilterRefuses() {
        assertEquals(Optional.empty(), Seccomp.refusal(Seccomp.Mode.FILTER, () -> EINVAL, () -> EFAULT));
    }

    @Test
    void withoutAFilterNothingIsProbed() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(Optional.empty(), Seccomp.refusal(Seccomp.Mode.DISABLED, () -> {
            calls.incrementAndGet();
            return EPERM;
        }, () -> {
            calls.incrementAndGet();
            return EPERM;
        }));
        assertEquals(0, calls.get());
    }
}
