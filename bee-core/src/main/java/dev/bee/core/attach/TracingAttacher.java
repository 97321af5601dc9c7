package dev.bee.core.attach;

import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.ProgramSpec;

/** BTF-typed tracing programs: {@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/} (target fixed at load). */
final class TracingAttacher implements Attacher {
    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        String what = spec.attachKind().name().toLowerCase(java.util.Locale.ROOT) + " " + spec.target();
        try {
            return LinkAttachment.of(spec.name(), program.attachTrace());
        } catch (LibbpfException e) {
            if (spec.attachKind() != AttachKind.TP_BTF && (e.errno() == Errno.EPERM || e.errno() == Errno.ENOTSUPP
                    || e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.ENODEV)) {
                throw AttachErrors.failed(spec, what, e,
                        "this kernel does not permit BPF trampolines (fentry/fexit/fmod_ret) on " + spec.target(),
                        "use a tracepoint (SEC(\"tracepoint/...\")) or a kprobe where kprobes exist");
            }
            throw AttachErrors.failed(spec, what, e, null, null);
        }
    }
}
