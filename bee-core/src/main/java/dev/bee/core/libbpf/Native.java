package dev.bee.core.libbpf;

import dev.bee.core.BeeException;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads libbpf and libc once per process, routes libbpf's log to slf4j (logger {@code libbpf}) and
 * turns failed calls into {@link LibbpfException}s. The print callback is set once (libbpf's print
 * setting is process-wide) and held in a static field so it is never collected.
 */
final class Native {
    static final String LIBBPF_SONAME = "libbpf.so.1";
    private static final String X86ASM_PROPERTY = "jnr.ffi.x86asm.enabled";
    /**
     * Made on first use, not with the binding: the binding may be made ahead, before the command line's
     * -v has set the log level, and slf4j-simple reads it once, at its first logger.
     */
    private static final class Log {
        static final Logger LIBBPF = LoggerFactory.getLogger("libbpf");
    }
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    private static final int FORMAT_BUFFER = 16 * 1024;
    private static final int NOTES = 8;
    /** Warnings libbpf prints for things bee does on purpose. */
    private static final List<Pattern> EXPECTED = List.of(
            // Ring buffers keep their declared value type for decoding; libbpf drops it and retries.
            Pattern.compile("Error in bpf_create_map_xattr\\(.*\\):.*Retrying without BTF"),
            Pattern.compile("map '.*': failed to create: .*"),
            Pattern.compile("map '.*': retrying without BTF\\."));

    private static volatile Native instance;
    private static final Object PREPARE_LOCK = new Object();
    /** libc's part, bound apart from libbpf's so that another thread can make it (see {@link #bindLibc()}). */
    private static final Lazy<LibC> LIBC = new Lazy<>(LibC.class, "c");
    private static boolean prepared; // under PREPARE_LOCK

    final LibBpf bpf;
    final LibC libc;
    final Runtime runtime;
    private final Lazy<LibBpfAttach> attach = new Lazy<>(LibBpfAttach.class);
    private final Lazy<LibBpfTc> tc = new Lazy<>(LibBpfTc.class);
    private final Lazy<LibBpfBuffers> buffers = new Lazy<>(LibBpfBuffers.class);
    private final Lazy<LibBpfMapBatch> mapBatch = new Lazy<>(LibBpfMapBatch.class);
    private final Lazy<LibCNet> net = new Lazy<>(LibCNet.class, "c");
    /** Strong reference: libbpf keeps the address of this closure for the life of the process. */
    @SuppressWarnings({"FieldCanBeLocal", "unused"})
    private final LibBpf.PrintFn printFn;
    private final ThreadLocal<Pointer> formatBuffer;
    private final ThreadLocal<List<String>> warnings = ThreadLocal.withInitial(ArrayList::new);
    /** The last few messages below warning level, since {@link #beginCall()}. */
    private final ThreadLocal<Deque<String>> notes = ThreadLocal.withInitial(ArrayDeque::new);

    private Native(LibBpf bpf, LibC libc) {
        this.bpf = bpf;
        this.libc = libc;
        this.runtime = Runtime.getRuntime(bpf);
        this.formatBuffer = ThreadLocal.withInitial(() -> Memory.allocateDirect(runtime, FORMAT_BUFFER, true));
        this.printFn = this::print;
        bpf.libbpf_set_print(printFn);
    }

    /** The loaded libraries; the first call loads them, or fails with a clear {@link BeeException}. */
    static Native get() {
        Native n = instance;
        if (n == null) {
            synchronized (Native.class) {
                n = instance;
                if (n == null) {
                    instance = n = load();
                }
            }
        }
        return n;
    }

    private static Native load() {
        LibBpf bpf = bind(LibBpf.class, LIBBPF_SONAME);
        return new Native(bpf, LIBC.get());
    }

    /**
     * Binds libc's part of the binding on this thread, unless it is bound: a thread with nothing else to
     * do (a run's main thread, waiting for the binding made on another) takes it off the other's path.
     */
    static void bindLibc() {
        if (instance == null) {
            LIBC.get();
        }
    }


    /**
     * Set once before jnr-ffi's first use, from whichever thread binds first. Its own lock: the thread
     * making the binding holds Native's while it waits for libc's part.
     */
    private static void prepare() {
        synchronized (PREPARE_LOCK) {
            if (prepared) {
                return;
            }
            prepared = true;
            JffiStub.useCached(BeeHome.cache());
            // jnr-ffi would assemble a machine-code stub per function as the binding is made: about 10 ms of
            // a run's start, against nothing measurable later (set-up calls and one poll per batch).
            if (System.getProperty(X86ASM_PROPERTY) == null) {
                System.setProperty(X86ASM_PROPERTY, "false");
            }
        }
    }

    private static <T> T bind(Class<T> calls, String library) {
        prepare();
        try {
            return LibraryLoader.create(calls).failImmediately().load(library);
        } catch (LinkageError | RuntimeException e) {
            if (!library.equals(LIBBPF_SONAME)) {
                throw new BeeException(ErrorKind.ENVIRONMENT, "cannot load the C library: " + e.getMessage(), null, e);
            }
            throw new BeeException(ErrorKind.ENVIRONMENT, "cannot load " + LIBBPF_SONAME + ": " + e.getMessage(),
                    "install libbpf 1.x (Debian/Ubuntu: apt-get install libbpf1)", e);
        }
    }

    /** A part of the binding made on first use. */
    private static final class Lazy<T> {
        private final Class<T> calls;
        private final String library;
        private volatile T bound;

        Lazy(Class<T> calls) {
            this(calls, LIBBPF_SONAME);
        }

        Lazy(Class<T> calls, String library) {
            this.calls = calls;
            this.library = library;
        }

        T get() {
            T b = bound;
            if (b == null) {
                synchronized (this) {
                    b = bound;
                    if (b == null) {
                        bound = b = bind(calls, library);
                    }
                }
            }
            return b;
        }
    }

    /** The less common attach kinds and pinning. */
    LibBpfAttach attach() {
        return attach.get();
    }

    /** tc hooks and filters. */
    LibBpfTc tc() {
        return tc.get();
    }

    /** libbpf's ring buffer and perf buffer readers. */
    LibBpfBuffers buffers() {
        return buffers.get();
    }

    /** Batched map reads. */
    LibBpfMapBatch mapBatch() {
        return mapBatch.get();
    }

    /** libc's network calls. */
    LibCNet net() {
        return net.get();
    }

    /** Whether libbpf can be loaded here, without throwing. */
    static boolean available() {
        try {
            get();
            return true;
        } catch (BeeException e) {
            return false;
        }
    }

    private int print(int level, Pointer format, Pointer vaList) {
        try {
            Pointer buf = formatBuffer.get();
            int n = libc.vsnprintf(buf, FORMAT_BUFFER, format, vaList);
            if (n < 0) {
                return 0;
            }
            String msg = buf.getString(0, Math.min(n, FORMAT_BUFFER - 1), StandardCharsets.UTF_8).stripTrailing();
            if (msg.startsWith("libbpf: ")) {
                msg = msg.substring("libbpf: ".length());
            }
            if (level == LIBBPF_WARN) {
                List<String> w = warnings.get();
                if (w.size() < 200) {
                    w.add(msg);
                }
                // Shown with -v; a failed call carries them in its exception instead.
                Log.LIBBPF.debug("{}", msg);
            } else {
                Deque<String> recent = notes.get();
                if (recent.size() == NOTES) {
                    recent.removeFirst();
                }
                recent.addLast(msg);
                if (level == LIBBPF_INFO) {
                    Log.LIBBPF.debug("{}", msg);
                } else {
                    Log.LIBBPF.trace("{}", msg);
                }
            }
        } catch (Throwable t) {
            // Never let anything escape into native code.
            try {
                Log.LIBBPF.debug("cannot format a libbpf log message: {}", t.toString());
            } catch (Throwable ignored) {
                // nothing more we can do
            }
        }
        return 0;
    }

    private static boolean isExpected(String msg) {
        for (Pattern p : EXPECTED) {
            if (p.matcher(msg).find()) {
                return true;
            }
        }
        return false;
    }

    /** Starts collecting libbpf's warnings on this thread, for the error of the next call. */
    void beginCall() {
        warnings.get().clear();
        notes.get().clear();
    }

    /**
     * The last message below warning level libbpf logged on this thread since {@link #beginCall()}: where a
     * call failed without a warning, libbpf 1.1 has often said why only at debug level, just before.
     */
    Optional<String> lastNoteSinceBegin() {
        return Optional.ofNullable(notes.get().peekLast());
    }

    /** The warnings libbpf logged on this thread since {@link #beginCall()}, not counting expected ones. */
    List<String> warningsSinceBegin() {
        List<String> out = new ArrayList<>();
        for (String w : warnings.get()) {
            if (!isExpected(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** errno of the last call on this thread (read right after the call). */
    int errno() {
        return LastError.getLastError(runtime);
    }

    /** libbpf's text for an errno (positive or negative). */
    String strerror(int err) {
        Pointer buf = Memory.allocateDirect(runtime, 256, true);
        if (bpf.libbpf_strerror(Math.abs(err), buf, 256) != 0) {
            String s = libc.strerror(Math.abs(err));
            return s == null ? Errno.name(Math.abs(err)) : s;
        }
        return buf.getString(0);
    }

    /** An exception for a failed libbpf call, carrying errno, libbpf's text and its warnings. */
    LibbpfException failure(String call, int errno, ErrorKind kind, String message, String hint) {
        int e = Math.abs(errno);
        String text = strerror(e);
        return new LibbpfException(kind, call, e, text, warningsSinceBegin(),
                message + ": " + text + " (" + Errno.name(e) + ")", hint);
    }

    /** Throws unless {@code rc} is 0 or positive. */
    int check(int rc, String call, String message) {
        if (rc < 0) {
            throw failure(call, rc, ErrorKind.KERNEL, message, null);
        }
        return rc;
    }

}
