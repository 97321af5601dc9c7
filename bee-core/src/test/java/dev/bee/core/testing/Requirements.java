package dev.bee.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of tests that need root, a BPF-capable kernel or an installed tool. Elsewhere they
 * skip with the reason; when {@code BEE_REQUIRE_ALL_TESTS=1} (set by {@code .ci/run}) a missing
 * precondition fails the test instead, so CI can never pass by skipping.
 */
public final class Requirements {
    public static final String STRICT_VARIABLE = "BEE_REQUIRE_ALL_TESTS";

    private Requirements() {
    }

    public static boolean strict() {
        return "1".equals(System.getenv(STRICT_VARIABLE)) || "true".equals(System.getenv(STRICT_VARIABLE));
    }

    /** Skips (or, in strict mode, fails) unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (strict()) {
            Assertions.fail("required by " + STRICT_VARIABLE + "=1 but unavailable: " + reason);
        }
        Assumptions.assumeTrue(false, reason);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uidIsZero();
    }

    private static boolean uidIsZero() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    public static void requireRoot() {
        require(isRoot(), "needs root (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN) to load eBPF programs");
    }

    public static void requireKernelBtf() {
        require(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "needs kernel BTF at /sys/kernel/btf/vmlinux");
    }

    /** Requires an executable on PATH; returns its path. */
    public static Path requireTool(String name) {
        Path found = which(name);
        require(found != null, "needs '" + name + "' on PATH (see .ci/run for the packages)");
        return found;
    }

    public static Path which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
