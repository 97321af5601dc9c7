package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A tc classifier attached through netlink with libbpf 1.1's {@code bpf_tc_*} calls: the filter stays
 * until someone deletes it, even after the process is killed. The caller picks the filter's handle and
 * priority (so it can find its own filters again) and decides whether the clsact qdisc may go: {@link
 * #close()} deletes this filter only, {@link #destroyHook} the whole qdisc with every filter in it.
 */
public final class TcHandle implements AutoCloseable {
    public static final int INGRESS = 1;
    public static final int EGRESS = 2;

    private final Native n;
    private final int ifindex;
    private final int direction;
    private final int handle;
    private final int priority;
    private final boolean createdHook;
    private final String description;
    private boolean attached;

    private TcHandle(Native n, int ifindex, int direction, int handle, int priority, boolean createdHook,
                     String description) {
        this.n = n;
        this.ifindex = ifindex;
        this.direction = direction;
        this.handle = handle;
        this.priority = priority;
        this.createdHook = createdHook;
        this.description = description;
        this.attached = true;
    }

    private static Pointer hook(Native n, int ifindex, int attachPoint) {
        Pointer hook = Memory.allocateDirect(n.runtime, TcHook.SIZE, true);
        hook.putLong(TcHook.SZ, TcHook.SIZE);
        hook.putInt(TcHook.IFINDEX, ifindex);
        hook.putInt(TcHook.ATTACH_POINT, attachPoint);
        return hook;
    }

    private static Pointer opts(Native n, int progFd, int handle, int priority) {
        Pointer opts = Memory.allocateDirect(n.runtime, TcOpts.SIZE, true);
        opts.putLong(TcOpts.SZ, TcOpts.SIZE);
        opts.putInt(TcOpts.PROG_FD, progFd);
        opts.putInt(TcOpts.HANDLE, handle);
        opts.putInt(TcOpts.PRIORITY, priority);
        return opts;
    }

    /**
     * Attaches {@code prog} to interface {@code ifindex} at {@link #INGRESS} or {@link #EGRESS} as the filter
     * with {@code handle} and {@code priority}, creating the clsact qdisc if there is none.
     */
    public static TcHandle attach(ProgramHandle prog, int ifindex, String iface, int direction, int handle,
                                  int priority) {
        Native n = Native.get();
        String what = "tc " + (direction == INGRESS ? "ingress" : "egress") + " on " + iface;
        Pointer hook = hook(n, ifindex, direction);
        n.beginCall();
        int rc = n.tc().bpf_tc_hook_create(hook);
        boolean created = rc == 0;
        if (rc < 0 && Math.abs(rc) != Errno.EEXIST) {
            throw n.failure("bpf_tc_hook_create", rc, ErrorKind.KERNEL, "cannot create the clsact qdisc for " + what,
                    null);
        }
        rc = n.tc().bpf_tc_attach(hook, opts(n, prog.fd(), handle, priority));
        if (rc < 0) {
            // A qdisc made a moment ago for this filter alone holds nothing of anyone else's.
            LibbpfException e = n.failure("bpf_tc_attach", rc, ErrorKind.KERNEL,
                    "cannot attach program " + prog.name() + " to " + what, null);
            if (created) {
                destroyHook(ifindex);
            }
            throw e;
        }
        return new TcHandle(n, ifindex, direction, handle, priority, created,
                what + String.format(" (filter pref %d handle 0x%x)", priority, handle));
    }

    /**
     * Deletes the filter with {@code handle} and {@code priority} at {@code direction} of {@code ifindex};
     * false when there is none (already gone).
     */
    public static boolean detach(int ifindex, int direction, int handle, int priority) {
        Native n = Native.get();
        n.beginCall();
        int rc = n.tc().bpf_tc_detach(hook(n, ifindex, direction), opts(n, 0, handle, priority));
        if (rc < 0 && Math.abs(rc) != Errno.ENOENT) {
            throw n.failure("bpf_tc_detach", rc, ErrorKind.KERNEL, String.format(
                    "cannot delete tc filter pref %d handle 0x%x on interface %d", priority, handle, ifindex), null);
        }
        return rc == 0;
    }

    /** Deletes the clsact qdisc of {@code ifindex} and every filter in it. */
    public static void destroyHook(int ifindex) {
        Native n = Native.get();
        n.tc().bpf_tc_hook_destroy(hook(n, ifindex, INGRESS | EGRESS));
    }

    /** Whether this attach created the clsact qdisc (it was not there before). */
    public boolean createdHook() {
        return createdHook;
    }

    public int ifindex() {
        return ifindex;
    }

    public String description() {
        return description;
    }

    /** Deletes this filter only; the qdisc and other filters stay. Idempotent, never throws. */
    @Override
    public synchronized void close() {
        if (!attached) {
            return;
        }
        attached = false;
        n.tc().bpf_tc_detach(hook(n, ifindex, direction), opts(n, 0, handle, priority));
    }
}
