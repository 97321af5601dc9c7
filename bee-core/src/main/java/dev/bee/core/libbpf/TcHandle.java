package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A tc classifier attached with libbpf 1.1's {@code bpf_tc_*} calls (which have no links): the clsact
 * hook is created if missing (and then destroyed again on close), the filter detached on close.
 */
public final class TcHandle implements AutoCloseable {
    private static final int HOOK_SIZE = 24;
    private static final int OPTS_SIZE = 32;
    public static final int INGRESS = 1;
    public static final int EGRESS = 2;

    private final Native n;
    private final Pointer hook;
    private final Pointer opts;
    private final boolean createdHook;
    private final String description;
    private boolean attached;

    private TcHandle(Native n, Pointer hook, Pointer opts, boolean createdHook, String description) {
        this.n = n;
        this.hook = hook;
        this.opts = opts;
        this.createdHook = createdHook;
        this.description = description;
        this.attached = true;
    }

    /** Attaches {@code prog} to interface {@code ifindex} at {@link #INGRESS} or {@link #EGRESS}. */
    public static TcHandle attach(ProgramHandle prog, int ifindex, String iface, int direction) {
        Native n = Native.get();
        String what = "tc " + (direction == INGRESS ? "ingress" : "egress") + " on " + iface;
        Pointer hook = Memory.allocateDirect(n.runtime, HOOK_SIZE, true);
        hook.putLong(0, HOOK_SIZE);
        hook.putInt(8, ifindex);
        hook.putInt(12, direction);
        n.beginCall();
        int rc = n.bpf.bpf_tc_hook_create(hook);
        boolean created = rc == 0;
        if (rc < 0 && Math.abs(rc) != Errno.EEXIST) {
            throw n.failure("bpf_tc_hook_create", rc, ErrorKind.KERNEL, "cannot create the clsact qdisc for " + what,
                    null);
        }
        Pointer opts = Memory.allocateDirect(n.runtime, OPTS_SIZE, true);
        opts.putLong(0, OPTS_SIZE);
        opts.putInt(8, prog.fd());
        rc = n.bpf.bpf_tc_attach(hook, opts);
        if (rc < 0) {
            LibbpfException e = n.failure("bpf_tc_attach", rc, ErrorKind.KERNEL,
                    "cannot attach program " + prog.name() + " to " + what, null);
            if (created) {
                hook.putInt(12, INGRESS | EGRESS);
                n.bpf.bpf_tc_hook_destroy(hook);
            }
            throw e;
        }
        return new TcHandle(n, hook, opts, created, what);
    }

    public String description() {
        return description;
    }

    @Override
    public synchronized void close() {
        if (!attached) {
            return;
        }
        attached = false;
        // bpf_tc_detach wants handle and priority only.
        opts.putInt(8, 0);
        opts.putInt(12, 0);
        opts.putInt(16, 0);
        n.bpf.bpf_tc_detach(hook, opts);
        if (createdHook) {
            hook.putInt(12, INGRESS | EGRESS);
            n.bpf.bpf_tc_hook_destroy(hook);
        }
    }
}
