package dev.bee.core.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUs that are online ({@code /sys/devices/system/cpu/online}, a list such as {@code 0-3,6,8-9}):
 * per-CPU perf events can be opened only there.
 */
public final class OnlineCpus {
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    /** More CPUs than any machine has: a list past it is not the kernel's. */
    private static final int MAX_CPU = 1 << 16;

    private OnlineCpus() {
    }

    /** The online CPUs; when the file cannot be read, CPUs 0 to the JVM's processor count - 1. */
    public static List<Integer> read() {
        try {
            return parse(Files.readString(ONLINE));
        } catch (IOException | IllegalArgumentException e) {
            List<Integer> out = new ArrayList<>();
            for (int c = 0; c < Runtime.getRuntime().availableProcessors(); c++) {
                out.add(c);
            }
            return out;
        }
    }

    /** The CPUs of a kernel CPU list, in order; IllegalArgumentException for what is not one. */
    public static List<Integer> parse(String list) {
        List<Integer> out = new ArrayList<>();
        String s = list.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty CPU list");
        }
        for (String part : s.split(",", -1)) {
            String[] r = part.split("-", -1);
            if (r.length > 2) {
                throw new IllegalArgumentException("not a CPU range: " + part);
            }
            int a = cpu(r[0]);
            int b = r.length > 1 ? cpu(r[1]) : a;
            if (b < a) {
                throw new IllegalArgumentException("not a CPU range: " + part);
            }
            for (int c = a; c <= b; c++) {
                out.add(c);
            }
        }
        return out;
    }

    private static int cpu(String s) {
        int c = Integer.parseInt(s.trim());
        if (c < 0 || c >= MAX_CPU) {
            throw new IllegalArgumentException("not a CPU: " + s);
        }
        return c;
    }
}
