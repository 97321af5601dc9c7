package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.object.AttachKind;

import java.util.Locale;
import java.util.function.BiConsumer;

/** Picks the attacher for a program's attach kind. */
public final class Attachers {
    private Attachers() {
    }

    /** The attacher for {@code kind}; an iterator's attacher hands each program's name and text to {@code iterOutput}. */
    public static Attacher forKind(AttachKind kind, BiConsumer<String, String> iterOutput) {
        return switch (kind) {
            case TRACEPOINT -> new TracepointAttacher();
            case RAW_TRACEPOINT -> new RawTracepointAttacher();
            case TP_BTF, FENTRY, FEXIT, FMOD_RET -> new TracingAttacher();
            case LSM -> new LsmAttacher();
            case KPROBE, KRETPROBE, KSYSCALL, KRETSYSCALL, KPROBE_MULTI, KRETPROBE_MULTI -> new KprobeAttacher();
            case UPROBE, URETPROBE -> new UprobeAttacher();
            case USDT -> new UsdtAttacher();
            case ITER -> new IterAttacher(iterOutput);
            case PERF_EVENT -> new PerfEventAttacher();
            case XDP -> new NetworkAttachers.Xdp();
            case TC, TCX -> new TcAttacher();
            case SOCKET_FILTER -> new NetworkAttachers.SocketFilter();
            case CGROUP, SOCK_OPS -> new CgroupAttacher();
            default -> (spec, program, options) -> {
                throw new BeeException(ErrorKind.USAGE, "bee run cannot attach " + kind.name().toLowerCase(Locale.ROOT)
                        + " programs ('" + spec.name() + "' in section " + spec.section() + ")",
                        kind == AttachKind.UNKNOWN ? "use a section name libbpf knows (see 'bee describe')"
                                : "pin it with --pin-progs and attach it with bpftool");
            };
        };
    }
}
