package dev.bee.core.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Whether a seccomp filter, rather than the kernel's own checks, refuses bee's system calls. Container
 * runtimes' default profiles (podman's, and containerd's and CRI-O's RuntimeDefault on many versions)
 * allow {@code bpf(2)} and {@code perf_event_open(2)} only to CAP_SYS_ADMIN and answer everyone else
 * EPERM, the same errno as a missing capability. Told apart by the process's seccomp mode
 * ({@code Seccomp:} in /proc/self/status, 2 for a filter) and by probe calls whose arguments the kernel
 * itself rejects with another errno (EINVAL, EFAULT): only a filter answers them EPERM or ENOSYS.
 */
public final class Seccomp {
    private static final int EPERM = 1;
    private static final int EACCES = 13;
    private static final int ENOSYS = 38;

    /** The process's seccomp mode, as the kernel numbers it. */
    public enum Mode { DISABLED, STRICT, FILTER, UNKNOWN }

    private Seccomp() {
    }

    /** The mode in a /proc/PID/status text. */
    static Mode parse(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Seccomp:")) {
                return switch (line.substring("Seccomp:".length()).trim()) {
                    case "0" -> Mode.DISABLED;
                    case "1" -> Mode.STRICT;
                    case "2" -> Mode.FILTER;
                    default -> Mode.UNKNOWN;
                };
            }
        }
        return Mode.UNKNOWN;
    }

    /** This process's mode. */
    public static Mode current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return Mode.UNKNOWN;
        }
    }

    /**
     * What a seccomp filter refuses, if anything: "a seccomp filter refuses bpf(2) and perf_event_open(2)".
     * The probes run only under a filter, each returning the errno of a call the kernel would reject with
     * EINVAL or EFAULT.
     */
    public static Optional<String> refusal(Mode mode, IntSupplier bpfProbe, IntSupplier perfEventOpenProbe) {
        if (mode != Mode.FILTER) {
            return Optional.empty();
        }
        List<String> refused = new ArrayList<>();
        if (filtered(bpfProbe.getAsInt())) {
            refused.add("bpf(2)");
        }
        if (filtered(perfEventOpenProbe.getAsInt())) {
            refused.add("perf_event_open(2)");
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("a seccomp filter (Seccomp: 2 in /proc/self/status) refuses " + String.join(" and ", refused));
    }

    /** What to do about a refusing filter. */
    public static String hint() {
        return "run with a seccomp profile that allows bpf and perf_event_open: seccompProfile type Unconfined in"
                + " Kubernetes (bee package --k8s writes it), --security-opt seccomp=unconfined for podman and docker,"
                + " or the runtime's default profile plus those two calls (docs/packaging.md)";
    }

    private static boolean filtered(int errno) {
        return errno == EPERM || errno == ENOSYS || errno == EACCES;
    }
}
