package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.ProgramSpec;

import java.util.Optional;

/**
 * {@code kprobe/FUNC}, {@code kretprobe/FUNC}, and libbpf's {@code ksyscall/}, {@code kprobe.multi/}.
 * When the attach fails, tells apart "this kernel has no kprobes at all" (CONFIG_KPROBES off) from
 * "this function cannot be probed".
 */
final class KprobeAttacher implements Attacher {
    static final String NO_KPROBES = "kprobes are not available on this kernel (CONFIG_KPROBES is off)";
    static final String NO_KPROBES_HINT = "use a tracepoint (SEC(\"tracepoint/...\")) or an fentry program instead";

    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        AttachKind kind = spec.attachKind();
        boolean ret = kind == AttachKind.KRETPROBE || kind == AttachKind.KRETSYSCALL || kind == AttachKind.KRETPROBE_MULTI;
        String what = (ret ? "kretprobe " : "kprobe ") + spec.target();
        if (KernelEnvironment.kprobesAvailable().equals(Optional.of(false))) {
            throw new BeeException(ErrorKind.KERNEL, "cannot attach program '" + spec.name() + "' to " + what + ": "
                    + NO_KPROBES, NO_KPROBES_HINT);
        }
        if (spec.target() == null) {
            throw AttachErrors.needs(spec, "a kernel function", "write SEC(\"kprobe/tcp_v4_connect\")");
        }
        try {
            if (kind == AttachKind.KPROBE || kind == AttachKind.KRETPROBE) {
                return LinkAttachment.of(spec.name(), program.attachKprobe(ret, spec.target()));
            }
            return LinkAttachment.of(spec.name(), program.attach());
        } catch (LibbpfException e) {
            Optional<Boolean> have = KernelEnvironment.kprobesAvailable();
            if (have.equals(Optional.of(false))) {
                throw AttachErrors.failed(spec, what, e, NO_KPROBES, NO_KPROBES_HINT);
            }
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL) {
                throw AttachErrors.failed(spec, what, e, "the kernel function '" + spec.target()
                                + "' cannot be probed (missing, inlined, or blacklisted)",
                        "check /proc/kallsyms and /sys/kernel/tracing/available_filter_functions");
            }
            throw AttachErrors.failed(spec, what, e, null, null);
        }
    }
}
