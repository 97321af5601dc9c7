package dev.bee.core.attach;

import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;

/** {@code lsm/HOOK}: needs the BPF LSM active in the kernel. */
final class LsmAttacher implements Attacher {
    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        try {
            return LinkAttachment.of(spec.name(), program.attachLsm());
        } catch (LibbpfException e) {
            if (KernelEnvironment.bpfLsmActive().orElse(true)) {
                throw AttachErrors.failed(spec, "LSM hook " + spec.target(), e, null, null);
            }
            throw AttachErrors.failed(spec, "LSM hook " + spec.target(), e,
                    "the BPF LSM is not active on this kernel (it is not listed in /sys/kernel/security/lsm)",
                    "boot with lsm=...,bpf (CONFIG_BPF_LSM=y), or use a tracepoint");
        }
    }
}
