package dev.bee.core.attach;

import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.ProgramSpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code tracepoint/CATEGORY/NAME} and {@code tp/CATEGORY/NAME}. */
final class TracepointAttacher implements Attacher {
    private static final Logger LOG = LoggerFactory.getLogger(TracepointAttacher.class);

    /** For -v: how the kernel is asked, as the talk bee grew from shows it. */
    private static void explain(ProgramSpec spec, String category, String name) {
        Path id = KernelEnvironment.TRACEFS.resolve("events").resolve(category).resolve(name).resolve("id");
        String number;
        try {
            number = Files.readString(id).trim();
        } catch (IOException | RuntimeException e) {
            number = "unknown (" + id + " unreadable)";
        }
        LOG.debug("attaching {}: tracepoint {}/{} is id {} ({}); perf_event_open(PERF_TYPE_TRACEPOINT, that id,"
                + " pid -1, cpu 0), then the program on it by a BPF link (PERF_EVENT_IOC_SET_BPF where the kernel"
                + " has none)", spec.name(), category, name, number, id);
    }

    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        String target = spec.target();
        int slash = target == null ? -1 : target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1) {
            throw AttachErrors.needs(spec, "a tracepoint as CATEGORY/NAME",
                    "write SEC(\"tracepoint/syscalls/sys_enter_openat\"); list them in "
                            + KernelEnvironment.TRACEFS + "/available_events");
        }
        String category = target.substring(0, slash);
        String name = target.substring(slash + 1);
        if (LOG.isDebugEnabled()) {
            explain(spec, category, name);
        }
        try {
            return LinkAttachment.of(spec.name(), program.attachTracepoint(category, name));
        } catch (LibbpfException e) {
            if (e.errno() == Errno.ENOENT) {
                if (KernelEnvironment.mountedType(KernelEnvironment.TRACEFS).isEmpty()) {
                    throw AttachErrors.failed(spec, "tracepoint " + target, e, "tracefs is not mounted",
                            "mount -t tracefs tracefs " + KernelEnvironment.TRACEFS);
                }
                if (!Files.isDirectory(KernelEnvironment.TRACEFS.resolve("events").resolve(category).resolve(name))) {
                    throw AttachErrors.failed(spec, "tracepoint " + target, e,
                            "this kernel has no tracepoint " + target,
                            "check the name in " + KernelEnvironment.TRACEFS + "/available_events");
                }
            }
            throw AttachErrors.failed(spec, "tracepoint " + target, e, null, null);
        }
    }
}
