package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * One program of an {@link ObjectHandle}, with libbpf's load settings and attach calls. Each attach returns a
 * {@link LinkHandle} the caller owns, or throws a {@link LibbpfException} with the errno: deciding
 * what that means for the user is the attachers' job (package {@code attach}).
 */
public final class ProgramHandle {
    // enum bpf_attach_type (linux/bpf.h, 6.6+)
    private static final int BPF_TCX_INGRESS = 46;
    private static final int BPF_TCX_EGRESS = 47;

    private final Native n;
    private final ObjectHandle owner;
    private final Pointer prog;
    private final String name;
    private final String section;
    /** Kept reachable: the kernel writes this program's verifier log here during load. */
    private Pointer logBuffer;

    ProgramHandle(Native n, ObjectHandle owner, Pointer prog) {
        this.n = n;
        this.owner = owner;
        this.prog = prog;
        this.name = n.bpf.bpf_program__name(prog);
        this.section = n.bpf.bpf_program__section_name(prog);
    }

    public String name() {
        return name;
    }

    public String section() {
        return section;
    }

    /** The kernel's program type libbpf will load it as ({@code enum bpf_prog_type}); 0 when libbpf could not tell. */
    public int type() {
        owner.pointer();
        return n.bpf.bpf_program__type(prog);
    }

    /** Sets the program type before load, for sections this libbpf does not know. */
    public void setType(int type) {
        owner.pointer();
        n.beginCall();
        int rc = n.bpf.bpf_program__set_type(prog, type);
        if (rc < 0) {
            throw n.failure("bpf_program__set_type", rc, ErrorKind.KERNEL, "cannot set the type of program " + name,
                    null);
        }
    }

    /** The program's fd after load. */
    public int fd() {
        owner.pointer();
        return n.bpf.bpf_program__fd(prog);
    }

    /**
     * The kernel's run count and total run time of this program (struct bpf_prog_info's run_cnt and
     * run_time_ns); both stay 0 unless statistics are on ({@link BpfCalls#enableRunStats()}).
     */
    public RunStats runStats() {
        Pointer info = info("statistics");
        return new RunStats(info.getLong(ProgInfo.RUN_CNT), info.getLong(ProgInfo.RUN_TIME_NS));
    }

    /** The instructions the verifier processed to load this program (verified_insns; 0 before kernel 5.16). */
    public long verifiedInstructions() {
        return Integer.toUnsignedLong(info("verifier statistics").getInt(ProgInfo.VERIFIED_INSNS));
    }

    /** This loaded program's struct bpf_prog_info; a kernel older than the struct leaves the rest 0. */
    private Pointer info(String what) {
        int fd = fd();
        Pointer info = Memory.allocateDirect(n.runtime, ProgInfo.SIZE, true);
        Pointer len = Memory.allocateDirect(n.runtime, 4, true);
        len.putInt(0, ProgInfo.SIZE);
        int rc = n.bpf.bpf_obj_get_info_by_fd(fd, info, len);
        if (rc < 0) {
            throw n.failure("bpf_obj_get_info_by_fd", rc, ErrorKind.KERNEL, "cannot read " + what + " of program " + name,
                    null);
        }
        return info;
    }

    /** Whether {@link ObjectHandle#load()} loads this program (libbpf's autoload, on by default). Before load. */
    public void setAutoload(boolean autoload) {
        owner.pointer();
        n.check(n.bpf.bpf_program__set_autoload(prog, autoload), "bpf_program__set_autoload",
                "cannot choose whether to load program " + name);
    }

    /**
     * Gives this program a verifier log of its own, {@code size} bytes at the kernel's {@code level} (1: the
     * path to an error, 2: every state, 4: statistics; or-ed), asked for from the first load attempt on.
     * Before load; read it with {@link #verifierLog()}.
     */
    public void logVerifier(int level, int size) {
        owner.pointer();
        Pointer buf = Memory.allocateDirect(n.runtime, size, false);
        buf.putByte(0, (byte) 0);
        n.check(n.bpf.bpf_program__set_log_buf(prog, buf, size), "bpf_program__set_log_buf",
                "cannot set the verifier log of program " + name);
        n.check(n.bpf.bpf_program__set_log_level(prog, level), "bpf_program__set_log_level",
                "cannot set the verifier log level of program " + name);
        logBuffer = buf;
    }

    /** What the verifier wrote in this program's own log ({@link #logVerifier}); empty without one. */
    public String verifierLog() {
        return logBuffer == null ? "" : logBuffer.getString(0, (int) logBuffer.size(), StandardCharsets.UTF_8).strip();
    }

    /** What the kernel counted for one program: runs, and nanoseconds spent in them. */
    public record RunStats(long runCount, long runTimeNanos) {
    }

    public void pin(String path) {
        owner.pointer();
        n.beginCall();
        int rc = n.attach().bpf_program__pin(prog, path);
        if (rc < 0) {
            throw n.failure("bpf_program__pin", rc, ErrorKind.USAGE,
                    "cannot pin program " + name + " at " + path,
                    Math.abs(rc) == Errno.EEXIST ? "remove the old pin first: rm " + path
                            : "the folder must be on a bpf filesystem (mount -t bpf bpf /sys/fs/bpf)");
        }
    }

    private LinkHandle link(Pointer p, String call, String what) {
        if (p == null || p.address() == 0) {
            int e = n.errno();
            throw n.failure(call, e == 0 ? Errno.EINVAL : e, ErrorKind.KERNEL,
                    "cannot attach program " + name + " to " + what, null);
        }
        return new LinkHandle(n, p, what);
    }

    /** libbpf's automatic attach by section name. */
    public LinkHandle attach() {
        owner.pointer();
        n.beginCall();
        return link(n.bpf.bpf_program__attach(prog), "bpf_program__attach", section);
    }

    public LinkHandle attachTracepoint(String category, String event) {
        owner.pointer();
        n.beginCall();
        return link(n.bpf.bpf_program__attach_tracepoint(prog, category, event), "bpf_program__attach_tracepoint",
                "tracepoint " + category + "/" + event);
    }

    public LinkHandle attachRawTracepoint(String event) {
        owner.pointer();
        n.beginCall();
        return link(n.bpf.bpf_program__attach_raw_tracepoint(prog, event), "bpf_program__attach_raw_tracepoint",
                "raw tracepoint " + event);
    }

    /** tp_btf, fentry, fexit, fmod_ret: the target was fixed at load. */
    public LinkHandle attachTrace() {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_trace(prog), "bpf_program__attach_trace", section);
    }

    public LinkHandle attachLsm() {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_lsm(prog), "bpf_program__attach_lsm", section);
    }

    public LinkHandle attachKprobe(boolean retprobe, String function) {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_kprobe(prog, retprobe, function), "bpf_program__attach_kprobe",
                (retprobe ? "kretprobe " : "kprobe ") + function);
    }

    /**
     * A uprobe on {@code function} (+{@code offset}) in {@code binary} (a path or a library name such as
     * libc.so.6, which libbpf finds), or on a raw offset when {@code function} is null; pid -1: all.
     */
    public LinkHandle attachUprobe(boolean retprobe, int pid, String binary, String function, long offset) {
        owner.pointer();
        Pointer opts = Memory.allocateDirect(n.runtime, UprobeOpts.SIZE, true);
        opts.putLong(UprobeOpts.SZ, UprobeOpts.SIZE);
        opts.putByte(UprobeOpts.RETPROBE, (byte) (retprobe ? 1 : 0));
        Pointer fn = function == null ? null : ObjectHandle.cString(n, function);
        if (fn != null) {
            opts.putAddress(UprobeOpts.FUNC_NAME, fn.address());
        }
        n.beginCall();
        Pointer p = n.attach().bpf_program__attach_uprobe_opts(prog, pid, binary, offset, opts);
        String what = (retprobe ? "uretprobe " : "uprobe ") + binary + (function == null ? "" : ":" + function)
                + (offset != 0 ? "+" + offset : "");
        LinkHandle l = link(p, "bpf_program__attach_uprobe_opts", what);
        keepAlive(fn);
        return l;
    }

    public LinkHandle attachUsdt(int pid, String binary, String provider, String probe) {
        owner.pointer();
        Pointer opts = Memory.allocateDirect(n.runtime, UsdtOpts.SIZE, true);
        opts.putLong(UsdtOpts.SZ, UsdtOpts.SIZE);
        n.beginCall();
        return link(n.attach().bpf_program__attach_usdt(prog, pid, binary, provider, probe, opts),
                "bpf_program__attach_usdt", "usdt " + binary + ":" + provider + ":" + probe);
    }

    public LinkHandle attachIter() {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_iter(prog, null), "bpf_program__attach_iter", section);
    }

    public LinkHandle attachPerfEvent(int perfFd, String what) {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_perf_event(prog, perfFd), "bpf_program__attach_perf_event", what);
    }

    public LinkHandle attachXdp(int ifindex, String iface) {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_xdp(prog, ifindex), "bpf_program__attach_xdp", "xdp on " + iface);
    }

    /**
     * A tcx link on interface {@code ifindex} (kernel 6.6+), after the programs already there. The kernel
     * detaches it when the link fd closes, so it ends with the process even when that is killed.
     */
    public LinkHandle attachTcx(int ifindex, boolean ingress, String iface) {
        owner.pointer();
        Pointer opts = LinkCreateOpts.empty(n);
        String what = "tcx " + (ingress ? "ingress" : "egress") + " on " + iface;
        n.beginCall();
        int fd = n.attach().bpf_link_create(fd(), ifindex, ingress ? BPF_TCX_INGRESS : BPF_TCX_EGRESS, opts);
        if (fd < 0) {
            throw n.failure("bpf_link_create", fd, ErrorKind.KERNEL, "cannot attach program " + name + " to " + what,
                    null);
        }
        return new LinkHandle(n, fd, what);
    }

    public LinkHandle attachCgroup(int cgroupFd, String path) {
        owner.pointer();
        n.beginCall();
        return link(n.attach().bpf_program__attach_cgroup(prog, cgroupFd), "bpf_program__attach_cgroup",
                "cgroup " + path);
    }

    private static void keepAlive(Object o) {
        // Reachability fence for native memory passed to the call above.
        java.lang.ref.Reference.reachabilityFence(o);
    }

    @Override
    public String toString() {
        return "program " + name + " (" + section + ")";
    }
}
