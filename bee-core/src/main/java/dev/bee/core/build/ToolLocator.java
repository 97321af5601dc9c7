package dev.bee.core.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds executables on {@code PATH}, trying versioned names ({@code clang-19} ... {@code clang-14}) too. */
public final class ToolLocator {
    private static final int NEWEST = 21;
    private static final int OLDEST = 11;

    private ToolLocator() {
    }

    /** {@code name}, else the newest {@code name-N} on PATH. */
    public static Optional<Path> find(String name) {
        Optional<Path> plain = onPath(name);
        if (plain.isPresent()) {
            return plain;
        }
        for (int v = NEWEST; v >= OLDEST; v--) {
            Optional<Path> p = onPath(name + "-" + v);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
