package dev.bee.core.libbpf;

import dev.bee.core.ErrorKind;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code struct bpf_object} opened from memory, with a kernel log buffer so a failed load reports the
 * verifier's whole log. The owner must {@link #close()} it; closing twice is harmless.
 */
public final class ObjectHandle implements AutoCloseable {
    private static final int LOG_SIZE = 16 * 1024 * 1024;
    private static final Pattern FAILED_PROG = Pattern.compile("prog '([^']+)': (?:BPF program load failed|failed to load)");

    private final Native n;
    private final String name;
    private Pointer obj;
    /** Kept reachable: libbpf writes the verifier log here during load. */
    private Pointer logBuffer;
    private List<MapHandle> maps;
    private List<ProgramHandle> programs;

    private ObjectHandle(Native n, String name, Pointer obj, Pointer logBuffer) {
        this.n = n;
        this.name = name;
        this.obj = obj;
        this.logBuffer = logBuffer;
    }

    /**
     * Opens an object from its ELF bytes ({@code bpf_object__open_mem}); nothing reaches the kernel yet.
     * {@code name} becomes the object's name (and the prefix of its .rodata/.bss map names).
     */
    public static ObjectHandle open(String name, byte[] elf) {
        Native n = Native.get();
        Pointer buf = Memory.allocateDirect(n.runtime, elf.length, false);
        buf.put(0, elf, 0, elf.length);
        Pointer opts = Memory.allocateDirect(n.runtime, ObjectOpenOpts.SIZE, true);
        Pointer nameMem = cString(n, name);
        Pointer log = Memory.allocateDirect(n.runtime, LOG_SIZE, false);
        log.putByte(0, (byte) 0);
        opts.putLong(ObjectOpenOpts.SZ, ObjectOpenOpts.SIZE);
        opts.putAddress(ObjectOpenOpts.OBJECT_NAME, nameMem.address());
        opts.putAddress(ObjectOpenOpts.KERNEL_LOG_BUF, log.address());
        opts.putLong(ObjectOpenOpts.KERNEL_LOG_SIZE, LOG_SIZE);
        opts.putInt(ObjectOpenOpts.KERNEL_LOG_LEVEL, 0);
        n.beginCall();
        Pointer obj = n.bpf.bpf_object__open_mem(buf, elf.length, opts);
        if (obj == null || obj.address() == 0) {
            int e = n.errno();
            List<String> said = n.warningsSinceBegin();
            // libbpf answers many kinds of malformed object with ENOENT ("No such file or directory"), which
            // would read as a missing file: say what libbpf logged instead, its last warning or, when it
            // warned of nothing, the last thing it said at all (libbpf 1.1 gives some reasons only there).
            String why = (said.isEmpty() ? n.lastNoteSinceBegin() : Optional.of(said.get(said.size() - 1)))
                    .map(w -> w.replaceFirst("^libbpf: ", "").strip())
                    .orElse("error " + Errno.name(e == 0 ? Errno.EINVAL : e));
            throw new LibbpfException(ErrorKind.INPUT, "bpf_object__open_mem", e == 0 ? Errno.EINVAL : e,
                    n.strerror(e == 0 ? Errno.EINVAL : e), said, "libbpf cannot open " + name + ": " + why,
                    "check the object with 'bee describe'; -v shows all libbpf said");
        }
        // The ELF buffer may be freed once open returns; the name is copied by libbpf as well.
        return new ObjectHandle(n, name, obj, log);
    }

    static Pointer cString(Native n, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(n.runtime, b.length + 1, true);
        p.put(0, b, 0, b.length);
        return p;
    }

    public String name() {
        return name;
    }

    Pointer pointer() {
        ensureOpen();
        return obj;
    }

    private void ensureOpen() {
        if (obj == null) {
            throw new IllegalStateException("object " + name + " is closed");
        }
    }

    /** The object's maps in libbpf's order, including internal ones (.rodata, .bss...). */
    public synchronized List<MapHandle> maps() {
        ensureOpen();
        if (maps == null) {
            List<MapHandle> out = new ArrayList<>();
            for (Pointer m = n.bpf.bpf_object__next_map(obj, null); m != null && m.address() != 0;
                 m = n.bpf.bpf_object__next_map(obj, m)) {
                out.add(new MapHandle(n, this, m));
            }
            maps = List.copyOf(out);
        }
        return maps;
    }

    public synchronized List<ProgramHandle> programs() {
        ensureOpen();
        if (programs == null) {
            List<ProgramHandle> out = new ArrayList<>();
            for (Pointer p = n.bpf.bpf_object__next_program(obj, null); p != null && p.address() != 0;
                 p = n.bpf.bpf_object__next_program(obj, p)) {
                out.add(new ProgramHandle(n, this, p));
            }
            programs = List.copyOf(out);
        }
        return programs;
    }

    /**
     * Creates the maps and loads every program into the kernel. On failure the exception carries the
     * verifier log ({@link LoadFailure#verifierLog()}) and the program that failed, if libbpf said.
     */
    public void load() {
        ensureOpen();
        n.beginCall();
        int rc = n.bpf.bpf_object__load(obj);
        if (rc < 0) {
            List<String> warnings = n.warningsSinceBegin();
            String prog = null;
            for (String w : warnings) {
                Matcher m = FAILED_PROG.matcher(w);
                if (m.find()) {
                    prog = m.group(1);
                }
            }
            String log = logBuffer.getString(0, LOG_SIZE, StandardCharsets.UTF_8).strip();
            int e = Math.abs(rc);
            throw new LoadFailure(e, n.strerror(e), warnings, prog, log);
        }
        // The log buffer is only needed during load.
        logBuffer = null;
    }

    /** Frees the object: unloads programs and maps that nothing else (links, pins) holds. Idempotent. */
    @Override
    public synchronized void close() {
        if (obj != null) {
            Pointer o = obj;
            obj = null;
            maps = List.of();
            programs = List.of();
            n.bpf.bpf_object__close(o);
        }
        logBuffer = null;
    }

    public boolean isClosed() {
        return obj == null;
    }

    /** A failed {@code bpf_object__load}: errno, libbpf's warnings, the failing program and the verifier log. */
    public static final class LoadFailure extends LibbpfException {
        private final String program;
        private final String verifierLog;

        LoadFailure(int errno, String text, List<String> warnings, String program, String verifierLog) {
            super(ErrorKind.KERNEL, "bpf_object__load", errno, text, warnings,
                    "the kernel refused to load " + (program == null ? "the object" : "program '" + program + "'")
                            + ": " + text + " (" + Errno.name(errno) + ")", null);
            this.program = program;
            this.verifierLog = verifierLog;
        }

        /** The program libbpf named as failing, or null (map creation, BTF...). */
        public String program() {
            return program;
        }

        /** The kernel's log of the last load attempt (verifier or BTF), possibly empty. */
        public String verifierLog() {
            return verifierLog;
        }
    }
}
