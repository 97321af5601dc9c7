package dev.bee.core.runtime;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.kernel.Capability;
import dev.bee.core.kernel.CapabilityCheck;
import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.kernel.ProcessCapabilities;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.libbpf.LibbpfLibrary;
import dev.bee.core.libbpf.ProcessSetup;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.MapSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The set-up a load needs from the machine ({@link KernelEnvironment} says what it offers): the
 * capabilities checked before anything reaches the kernel, the memlock limit, and the tracefs, debugfs and
 * bpf filesystems (mounted when missing and bee may; otherwise the error says what to run).
 */
final class KernelSetup {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSetup.class);

    private KernelSetup() {
    }

    /**
     * Fails before anything reaches the kernel unless this process has the capabilities that loading
     * {@code object} (and, with {@code attach}, attaching it) takes; the error names the missing ones and
     * how to grant them. Also fails with the loader's clear error when libbpf is not installed.
     */
    static void requireCapabilities(String command, BpfObject object, boolean attach) {
        ProcessCapabilities caps = KernelEnvironment.capabilities();
        List<CapabilityCheck.Need> needs = CapabilityCheck.needs(object.programs(),
                object.maps().stream().map(MapSpec::type).toList(), attach, KernelEnvironment.machine());
        List<CapabilityCheck.Need> missing = CapabilityCheck.missing(needs, caps);
        if (!missing.isEmpty()) {
            throw new BeeException(ErrorKind.PERMISSION, CapabilityCheck.message(command, missing),
                    CapabilityCheck.hint(command, missing, caps));
        }
        LOG.debug("capabilities for {}: {}", command, needs);
        if (!LibbpfLibrary.available()) {
            BpfCalls.possibleCpus(); // throws the loader's clear error
        }
    }

    /** Raises RLIMIT_MEMLOCK (needed before kernel 5.11; harmless after). */
    static void raiseMemlock() {
        if (!ProcessSetup.raiseMemlockLimit()) {
            LOG.debug("could not raise RLIMIT_MEMLOCK; maps may fail to be created on kernels before 5.11");
        }
    }

    /** Mounts tracefs (tracepoints, kprobes, uprobes need it) if it is not mounted. */
    static void ensureTracefs() {
        ensureMounted(KernelEnvironment.TRACEFS, "tracefs", "tracefs");
    }

    static void ensureDebugfs() {
        ensureMounted(KernelEnvironment.DEBUGFS, "debugfs", "debugfs");
    }

    /** Mounts the bpf filesystem at /sys/fs/bpf if {@code dir} is below it and nothing is mounted there. */
    static void ensureBpffs(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.startsWith(KernelEnvironment.BPFFS)) {
            ensureMounted(KernelEnvironment.BPFFS, "bpf", "bpf");
        }
    }

    private static void ensureMounted(Path target, String type, String source) {
        if (KernelEnvironment.mountedType(target).filter(t -> t.equals(type)).isPresent()) {
            return;
        }
        String command = "mount -t " + type + " " + source + " " + target;
        if (!KernelEnvironment.hasCapability(Capability.SYS_ADMIN)) {
            throw new BeeException(ErrorKind.PERMISSION, type + " is not mounted at " + target
                    + ", and mounting it needs CAP_SYS_ADMIN", "run as root, or mount it first: sudo " + command);
        }
        try {
            if (!Files.isDirectory(target)) {
                throw new BeeException(ErrorKind.KERNEL, "cannot mount " + type + ": " + target + " does not exist",
                        "this kernel may lack " + type + " support");
            }
            ProcessSetup.mount(source, target.toString(), type);
            LOG.info("mounted {} at {}", type, target);
        } catch (LibbpfException e) {
            throw new BeeException(e.kind(), e.getMessage(), "mount it by hand: " + command, e);
        }
    }
}
