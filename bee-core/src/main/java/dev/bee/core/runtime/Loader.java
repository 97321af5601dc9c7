package dev.bee.core.runtime;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.attach.Attachers;
import dev.bee.core.attach.Attachment;
import dev.bee.core.kernel.Capability;
import dev.bee.core.kernel.KernelEnvironment;
import dev.bee.core.kernel.Seccomp;
import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.ObjectHandle;
import dev.bee.core.libbpf.BpfCalls;
import dev.bee.core.libbpf.LibbpfLibrary;
import dev.bee.core.libbpf.PerfEvents;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.LegacyMapNormalizer;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.MapType;
import dev.bee.core.object.ProgramSection;
import dev.bee.core.object.ProgramSpec;
import dev.bee.core.object.ProgramType;
import dev.bee.core.object.SectionNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Loads a {@link BpfObject} into the kernel through libbpf and attaches its programs: prepares the
 * machine (capabilities, memlock, tracefs/debugfs/bpffs), folds legacy map sections, applies the ring buffer
 * and perf array conventions, writes {@code --set} overrides, loads (with the verifier log on failure),
 * pins on request and attaches every program. Returns the {@link Session} that owns it all; on any
 * failure everything taken so far is released before the exception leaves.
 */
public final class Loader {
    /** BPF_LOG_STATS: the verifier's statistics line, asked for under -v only. */
    private static final int STATS_LOG_LEVEL = 4;
    private static final int STATS_LOG_SIZE = 64 << 10;
    /** Program kinds that --iface is for. */
    private static final Set<AttachKind> NETWORK_KINDS = EnumSet.of(AttachKind.XDP, AttachKind.TC, AttachKind.TCX,
            AttachKind.SOCKET_FILTER);
    private static final Logger LOG = LoggerFactory.getLogger(Loader.class);
    private static final Set<AttachKind> TRACEFS_KINDS = EnumSet.of(AttachKind.TRACEPOINT, AttachKind.KPROBE,
            AttachKind.KRETPROBE, AttachKind.KSYSCALL, AttachKind.KRETSYSCALL, AttachKind.UPROBE, AttachKind.URETPROBE,
            AttachKind.USDT);

    private Loader() {
    }

    /** The version of the libbpf bee loads through (read from its file name where it can be), if found. */
    public static java.util.Optional<String> libbpfVersion() {
        return LibbpfLibrary.version();
    }


    /**
     * Loads and attaches; {@code iterOutput} receives the name and text of each iterator program. With
     * {@code options.runStats()} the kernel counts each program's runs and run time until the session closes.
     */
    public static Session load(BpfObject object, RunOptions options, BiConsumer<String, String> iterOutput) {
        if (object.programs().isEmpty()) {
            throw new BeeException(ErrorKind.INPUT, object.origin() + " has no programs to run",
                    "programs are functions in a SEC(\"...\") section");
        }
        List<GlobalOverrides.Override> overrides = GlobalOverrides.parse(object, options.sets());
        KernelSetup.requireCapabilities("bee run", object, true);
        KernelSetup.raiseMemlock();
        prepareMounts(object);
        if (options.attach().iface() != null && object.programs().stream().noneMatch(p -> NETWORK_KINDS.contains(p.attachKind()))) {
            LOG.warn("--iface {}: no program of {} attaches to an interface; it is ignored", options.attach().iface(),
                    object.origin());
        }
        Pins pins = new Pins();
        ObjectHandle handle;
        try {
            pins.createFolders(options.pinMaps(), options.pinProgs());
            handle = open(object, overrides);
        } catch (RuntimeException | Error e) {
            pins.undo();
            throw e;
        }
        Session session = new Session(object, handle);
        try {
            if (options.runStats()) {
                enableRunStats(session);
            }
            load(object, handle);
            pin(handle, options, pins);
            attach(object, handle, session, options, iterOutput);
            return session;
        } catch (RuntimeException | Error e) {
            // A run that fails before it starts leaves nothing: no program, and no pin it made.
            session.close();
            pins.undo();
            throw e;
        }
    }

    /**
     * Opens {@code object} for loading the way every bee command does: legacy map sections folded, the
     * ring buffer and perf array conventions applied, {@code --set} overrides written. Nothing reaches the
     * kernel yet; the caller owns (and closes) the handle.
     */
    static ObjectHandle open(BpfObject object, List<GlobalOverrides.Override> overrides) {
        byte[] bytes = object.usesLegacyMapSections() ? LegacyMapNormalizer.normalize(object) : object.bytes();
        ObjectHandle handle = ObjectHandle.open(objectName(object.origin()), bytes);
        try {
            conventions(object, handle);
            typeNewerSections(handle);
            GlobalOverrides.write(handle, overrides);
            return handle;
        } catch (RuntimeException | Error e) {
            handle.close();
            throw e;
        }
    }

    /** The kernel keeps run statistics only for CAP_SYS_ADMIN (BPF_ENABLE_STATS); without it the run goes on. */
    private static void enableRunStats(Session session) {
        if (KernelEnvironment.hasCapability(Capability.SYS_ADMIN)) {
            session.enableRunStats();
        } else {
            LOG.warn("no program run statistics (bee_program_stats_enabled is 0, bee_program_runs_total left out):"
                    + " the kernel counts them only for CAP_SYS_ADMIN or with sysctl kernel.bpf_stats_enabled=1");
        }
    }

    static String objectName(String origin) {
        String base = Path.of(origin).getFileName() == null ? origin : Path.of(origin).getFileName().toString();
        if (base.endsWith(".o")) {
            base = base.substring(0, base.length() - 2);
        }
        String clean = base.replaceAll("[^A-Za-z0-9_]", "_");
        return clean.isEmpty() ? "bee" : clean;
    }

    private static void prepareMounts(BpfObject object) {
        boolean tracing = object.programs().stream().anyMatch(p -> TRACEFS_KINDS.contains(p.attachKind()));
        if (tracing) {
            KernelSetup.ensureTracefs();
            try {
                KernelSetup.ensureDebugfs();
            } catch (BeeException e) {
                LOG.debug("debugfs: {}", e.getMessage());
            }
        }
    }

    /** Ring buffers: key/value 0 (the declared value type stays in the ELF for decoding); perf arrays: 4/4. */
    private static void conventions(BpfObject object, ObjectHandle handle) {
        for (MapHandle m : handle.maps()) {
            Optional<MapSpec> spec = object.map(m.name());
            if (spec.isEmpty()) {
                continue;
            }
            if (spec.get().type() == MapType.RINGBUF) {
                if (m.keySize() != 0) {
                    m.setKeySize(0);
                }
                if (m.valueSize() != 0) {
                    m.setValueSize(0);
                }
            } else if (spec.get().type() == MapType.PERF_EVENT_ARRAY) {
                if (m.keySize() != 4) {
                    m.setKeySize(4);
                }
                if (m.valueSize() != 4) {
                    m.setValueSize(4);
                }
            }
        }
    }

    /**
     * libbpf 1.1 leaves programs in sections newer libbpfs added (tc/ingress, tcx/egress...) without a type,
     * and then refuses to load them: give them the type bee's section table knows.
     */
    private static void typeNewerSections(ObjectHandle handle) {
        for (ProgramHandle p : handle.programs()) {
            ProgramType type = SectionNames.parse(p.section()).type();
            if (p.type() == ProgramType.UNSPEC.id() && type != ProgramType.UNSPEC) {
                p.setType(type.id());
                LOG.debug("program {}: section {} loads as {}", p.name(), p.section(), type);
            }
        }
    }

    private static void load(BpfObject object, ObjectHandle handle) {
        if (LOG.isDebugEnabled()) {
            // For -v: the kernel's own statistics (BPF_LOG_STATS), a few lines per program.
            for (ProgramHandle p : handle.programs()) {
                p.logVerifier(STATS_LOG_LEVEL, STATS_LOG_SIZE);
            }
        }
        long start = System.nanoTime();
        try {
            handle.load();
        } catch (ObjectHandle.LoadFailure f) {
            throw explain(object, f);
        }
        if (LOG.isDebugEnabled()) {
            explainLoad(object, handle, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * For -v: what the load asked of the kernel and what it answered, each map created (type, key and value
     * sizes, entries, the flags the object declares) and each program loaded (type, instructions, those the verifier processed).
     */
    private static void explainLoad(BpfObject object, ObjectHandle handle, long millis) {
        LOG.debug("loaded object {} in {} ms (bpf(BPF_MAP_CREATE) per map, bpf(BPF_PROG_LOAD) per program)",
                object.origin(), millis);
        for (MapHandle m : handle.maps()) {
            long flags = object.maps().stream().filter(s -> s.name().equals(m.name())).mapToLong(MapSpec::flags)
                    .findFirst().orElse(0);
            LOG.debug("  map {}: {}, key {} bytes, value {} bytes, {} entries, flags 0x{}, fd {}", m.name(),
                    typeName(MapType.of(m.type()), m.type()), m.keySize(), m.valueSize(),
                    m.maxEntries(), Long.toHexString(flags), m.fd());
        }
        for (ProgramHandle p : handle.programs()) {
            int instructions = object.programs().stream().filter(s -> s.name().equals(p.name()))
                    .mapToInt(ProgramSpec::instructions).findFirst().orElse(-1);
            String log = p.verifierLog();
            VerifierLog.States states = VerifierLog.states(log);
            java.util.OptionalLong micros = VerifierLog.verificationMicros(log);
            LOG.debug("  program {}: {}, {} instructions, {} processed by the verifier, {} states ({} at peak), "
                            + "verified in {}, fd {}", p.name(),
                    p.type() >= 0 && p.type() < ProgramType.values().length
                            ? ProgramType.values()[p.type()].name().toLowerCase(java.util.Locale.ROOT) : "type " + p.type(),
                    instructions < 0 ? "?" : instructions, p.verifiedInstructions(),
                    states.total().isPresent() ? states.total().getAsLong() : "?",
                    states.peak().isPresent() ? states.peak().getAsLong() : "?",
                    micros.isPresent() ? micros.getAsLong() + " us" : "? us", p.fd());
        }
    }

    private static String typeName(MapType t, int id) {
        return t == null ? "type " + id : t.name().toLowerCase(java.util.Locale.ROOT);
    }

    static BeeException explain(BpfObject object, ObjectHandle.LoadFailure f) {
        Optional<ProgramSpec> prog = f.program() == null ? Optional.empty()
                : object.programs().stream().filter(p -> p.name().equals(f.program())).findFirst();
        AttachKind kind = prog.map(ProgramSpec::attachKind).orElse(null);
        String log = f.verifierLog();
        StringBuilder msg = new StringBuilder(f.getMessage());
        String hint = null;
        ErrorKind ek = ErrorKind.KERNEL;
        Optional<String> seccomp = f.errno() == Errno.EPERM
                ? Seccomp.refusal(Seccomp.current(), BpfCalls::probe, PerfEvents::probe) : Optional.empty();
        if (seccomp.isPresent()) {
            ek = ErrorKind.PERMISSION;
            msg.append(": ").append(seccomp.get());
            hint = Seccomp.hint();
        } else if (f.errno() == Errno.EPERM && !KernelEnvironment.hasCapability(Capability.SYS_ADMIN)) {
            ek = ErrorKind.PERMISSION;
            hint = "the kernel refused although bee has the capabilities it checks for; this kernel may want"
                    + " CAP_SYS_ADMIN here (run as root), or see lockdown (/sys/kernel/security/lockdown)";
        } else if (f.errno() == Errno.EPERM && (kind == AttachKind.FENTRY || kind == AttachKind.FEXIT
                || kind == AttachKind.FMOD_RET)) {
            msg.append(": this kernel does not permit BPF trampolines (fentry/fexit/fmod_ret)");
            hint = "use a tracepoint (SEC(\"tracepoint/...\")) or, where kprobes exist, a kprobe";
        } else if (kind == AttachKind.LSM && (f.errno() == Errno.EPERM || f.errno() == Errno.EINVAL)
                && !KernelEnvironment.bpfLsmActive().orElse(true)) {
            msg.append(": the BPF LSM is not active on this kernel (not listed in /sys/kernel/security/lsm)");
            hint = "boot with lsm=...,bpf (CONFIG_BPF_LSM=y), or use a tracepoint";
        } else if (!log.isEmpty() && prog.isPresent()) {
            hint = "the verifier's log above says which instruction it rejected and why";
        } else if (f.errno() == Errno.EPERM) {
            hint = "the kernel refused; check lockdown (/sys/kernel/security/lockdown) and unprivileged BPF settings";
        }
        if (!f.warnings().isEmpty()) {
            msg.append("\nlibbpf: ").append(String.join("\nlibbpf: ", f.warnings()));
        }
        if (!log.isEmpty()) {
            msg.append("\n-- verifier log").append(f.program() == null ? "" : " of " + f.program()).append(" --\n")
                    .append(log).append("\n-- end of verifier log --");
        }
        return new BeeException(ek, msg.toString(), hint, f);
    }

    private static void pin(ObjectHandle handle, RunOptions options, Pins pins) {
        if (options.pinMaps() != null) {
            for (MapHandle m : handle.maps()) {
                if (!m.isInternal()) {
                    Path at = options.pinMaps().resolve(m.name());
                    m.pin(at.toString());
                    pins.pinned(at);
                }
            }
        }
        if (options.pinProgs() != null) {
            for (ProgramHandle p : handle.programs()) {
                Path at = options.pinProgs().resolve(p.name());
                p.pin(at.toString());
                pins.pinned(at);
            }
        }
    }

    private static void attach(BpfObject object, ObjectHandle handle, Session session, RunOptions options,
                               BiConsumer<String, String> iterOutput) {
        for (ProgramHandle p : handle.programs()) {
            ProgramSpec spec = object.programs().stream().filter(s -> s.name().equals(p.name())).findFirst()
                    .orElseGet(() -> {
                        ProgramSection ps = SectionNames.parse(p.section());
                        return new ProgramSpec(p.name(), p.section(), ps.type(), ps.attachKind(), ps.target(),
                                ps.expectedAttachType(), ps.sleepable(), 0);
                    });
            Attachment a = Attachers.forKind(spec.attachKind(), iterOutput).attach(spec, p, options.attach());
            session.addAttachment(a);
            LOG.debug("attached {}", a.description());
        }
    }
}
