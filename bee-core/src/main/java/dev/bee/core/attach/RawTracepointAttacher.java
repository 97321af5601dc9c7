package dev.bee.core.attach;

import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;

/** {@code raw_tp/NAME} and {@code raw_tracepoint/NAME}. */
final class RawTracepointAttacher implements Attacher {
    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        if (spec.target() == null) {
            throw AttachErrors.needs(spec, "a tracepoint name", "write SEC(\"raw_tp/sched_process_exec\")");
        }
        try {
            return LinkAttachment.of(spec.name(), program.attachRawTracepoint(spec.target()));
        } catch (LibbpfException e) {
            if (e.errno() == Errno.ENOENT) {
                throw AttachErrors.failed(spec, "raw tracepoint " + spec.target(), e,
                        "this kernel has no tracepoint named " + spec.target(),
                        "raw tracepoints take the bare event name, e.g. raw_tp/sched_switch");
            }
            throw AttachErrors.failed(spec, "raw tracepoint " + spec.target(), e, null, null);
        }
    }
}
