package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.kernel.Capability;
import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.kernel.Seccomp;
import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.libbpf.PerfEvents;
import dev.bee.core.object.ProgramSpec;

import java.util.Optional;

/** Builds attach errors that say what failed, why, and what to do. */
final class AttachErrors {
    private AttachErrors() {
    }

    static BeeException failed(ProgramSpec spec, String what, LibbpfException e, String reason, String hint) {
        String detail = e.libbpfMessage() + " (" + Errno.name(e.errno()) + ")";
        String msg = "cannot attach program '" + spec.name() + "' to " + what + ": "
                + (reason == null ? detail : reason + " [" + detail + "]");
        if (e.errno() == Errno.EPERM) {
            Optional<String> seccomp = Seccomp.refusal(Seccomp.current(), BpfCalls::probe,
                    PerfEvents::probe);
            if (seccomp.isPresent()) {
                return new BeeException(ErrorKind.PERMISSION, msg + ": " + seccomp.get(), Seccomp.hint(), e);
            }
        }
        boolean privileged = KernelEnvironment.hasCapability(Capability.SYS_ADMIN);
        return new BeeException(e.errno() == Errno.EPERM && !privileged ? ErrorKind.PERMISSION : ErrorKind.KERNEL,
                msg, hint != null ? hint : generic(e, privileged), e);
    }

    private static String generic(LibbpfException e, boolean privileged) {
        if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
            return privileged ? "the kernel does not permit this attachment (lockdown or an LSM?)"
                    : "this kernel may want CAP_SYS_ADMIN for this attachment: run as root (see docs/capabilities.md)";
        }
        if (!e.warnings().isEmpty()) {
            return "libbpf said: " + String.join("; ", e.warnings());
        }
        return null;
    }

    static BeeException needs(ProgramSpec spec, String what, String hint) {
        return new BeeException(ErrorKind.USAGE, "program '" + spec.name() + "' (" + spec.section() + ") needs " + what,
                hint);
    }
}
