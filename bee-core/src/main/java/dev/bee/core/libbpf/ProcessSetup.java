package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** What a run sets up in its own process and mount namespace: the memlock limit, missing mounts. */
public final class ProcessSetup {
    private static final int RLIMIT_MEMLOCK = 8;

    private ProcessSetup() {
    }

    /** Raises RLIMIT_MEMLOCK to unlimited (kernels before 5.11 charge BPF memory to it); false if refused. */
    public static boolean raiseMemlockLimit() {
        Native n = Native.get();
        Pointer rl = Memory.allocateDirect(n.runtime, RLimit.SIZE, true);
        rl.putLong(RLimit.RLIM_CUR, -1L);
        rl.putLong(RLimit.RLIM_MAX, -1L);
        if (n.libc.setrlimit(RLIMIT_MEMLOCK, rl) == 0) {
            return true;
        }
        // Without CAP_SYS_RESOURCE only the soft limit can rise, up to the hard one.
        if (n.libc.getrlimit(RLIMIT_MEMLOCK, rl) != 0) {
            return false;
        }
        rl.putLong(RLimit.RLIM_CUR, rl.getLong(RLimit.RLIM_MAX));
        return n.libc.setrlimit(RLIMIT_MEMLOCK, rl) == 0;
    }

    /** {@code mount -t type source target}. */
    public static void mount(String source, String target, String type) {
        Native n = Native.get();
        if (n.libc.mount(source, target, type, 0, null) != 0) {
            int e = n.errno();
            throw n.failure("mount", e, e == Errno.EPERM ? ErrorKind.PERMISSION : ErrorKind.KERNEL,
                    "cannot mount " + type + " at " + target, "mount -t " + type + " " + source + " " + target);
        }
    }
}
