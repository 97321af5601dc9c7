package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** {@code perf_event_open(2)}, which libc does not wrap: the events perf_event programs attach to. */
public final class PerfEvents {
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final int PERF_COUNT_SW_CPU_CLOCK = 0;
    private static final long PERF_FLAG_FD_CLOEXEC = 8;

    private PerfEvents() {
    }

    /** A software CPU-clock perf event sampling at {@code frequency} Hz on {@code cpu}, all processes. */
    public static int openCpuClock(int cpu, long frequency) {
        Native n = Native.get();
        Pointer attr = Memory.allocateDirect(n.runtime, PerfEventAttr.SIZE, true);
        attr.putInt(PerfEventAttr.TYPE, PERF_TYPE_SOFTWARE);
        attr.putInt(PerfEventAttr.SIZE_FIELD, PerfEventAttr.SIZE);
        attr.putLong(PerfEventAttr.CONFIG, PERF_COUNT_SW_CPU_CLOCK);
        attr.putLong(PerfEventAttr.SAMPLE_FREQ, frequency);
        attr.putLong(PerfEventAttr.FLAGS, PerfEventAttr.FLAG_FREQ);
        long fd = n.libc.syscall(SyscallNumbers.host().perfEventOpen(), attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            int e = n.errno();
            throw n.failure("perf_event_open", e, e == Errno.EACCES || e == Errno.EPERM ? ErrorKind.PERMISSION
                    : ErrorKind.KERNEL, "cannot open a CPU clock perf event on CPU " + cpu, null);
        }
        return (int) fd;
    }

    /**
     * The errno of {@code perf_event_open(NULL, ...)}, which the kernel answers EFAULT; a seccomp filter
     * answers EPERM or ENOSYS.
     */
    public static int probe() {
        Native n = Native.get();
        long nr = SyscallNumbers.host().perfEventOpen();
        if (nr < 0) {
            return Errno.EFAULT;
        }
        long rc = n.libc.syscall(nr, null, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
        if (rc >= 0) {
            n.libc.close((int) rc);
            return 0;
        }
        return n.errno();
    }
}
