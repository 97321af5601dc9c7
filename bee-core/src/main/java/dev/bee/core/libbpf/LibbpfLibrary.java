package dev.bee.core.libbpf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The system libbpf as a library: whether it loads, and its version. */
public final class LibbpfLibrary {
    private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/usr/lib/riscv64-linux-gnu", "/usr/lib/powerpc64le-linux-gnu",
            "/usr/lib/s390x-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib", "/usr/local/lib");

    private LibbpfLibrary() {
    }

    /**
     * The system libbpf's version, e.g. {@code 1.1.2}: read from the name the library file carries
     * ({@code libbpf.so.1 -> libbpf.so.1.1.2}), which costs no binding; else asked of libbpf itself.
     * Empty when libbpf is not installed.
     */
    public static Optional<String> version() {
        for (String dir : LIBRARY_DIRS) {
            Path so = Path.of(dir, Native.LIBBPF_SONAME);
            try {
                String real = so.toRealPath().getFileName().toString();
                if (real.startsWith("libbpf.so.") && real.length() > "libbpf.so.".length()) {
                    return Optional.of(real.substring("libbpf.so.".length()));
                }
            } catch (IOException e) {
                // not in this folder
            }
        }
        if (!Native.available()) {
            return Optional.empty();
        }
        Native n = Native.get();
        return Optional.of(n.bpf.libbpf_major_version() + "." + n.bpf.libbpf_minor_version());
    }

    /** Whether libbpf.so.1 (and libc) can be loaded on this machine. */
    public static boolean available() {
        return Native.available();
    }
}
