package dev.bee.core.attach;

import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;

/** {@code usdt/PATH:PROVIDER:NAME}: a user statically defined tracepoint, in every process or {@code --pid}. */
final class UsdtAttacher implements Attacher {
    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        String target = spec.target();
        int last = target == null ? -1 : target.lastIndexOf(':');
        int mid = last <= 0 ? -1 : target.lastIndexOf(':', last - 1);
        if (mid <= 0 || last == target.length() - 1) {
            throw AttachErrors.needs(spec, "a target as PATH:PROVIDER:NAME",
                    "write SEC(\"usdt/libc.so.6:libc:setjmp\"); list probes with 'readelf -n BINARY'");
        }
        String binary = target.substring(0, mid);
        String provider = target.substring(mid + 1, last);
        String name = target.substring(last + 1);
        try {
            return LinkAttachment.of(spec.name(), program.attachUsdt(options.pid(), binary, provider, name));
        } catch (LibbpfException e) {
            throw AttachErrors.failed(spec, "usdt " + target, e, null,
                    "check that " + binary + " has the probe " + provider + ":" + name + " (readelf -n " + binary + ")");
        }
    }
}
