package dev.bee.core.image.container;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where {@code bee package} writes a new OCI layout folder before it is whole: a hidden sibling of the
 * target, {@code .NAME.bee-partial-PID-RANDOM}, renamed onto the target at the end and deleted on failure
 * (what {@code io.AtomicFiles} is for files).
 * A process killed before it could delete its own is found by the next package to the same target (its pid
 * no longer runs) and removed, as the store sweeps an abandoned pull.
 */
final class PartialOutputs {
    private static final String MARK = ".bee-partial-";

    private PartialOutputs() {
    }

    /** A new name beside {@code target} (not created). */
    private static Path name(Path target) {
        return target.resolveSibling(prefix(target) + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
    }

    /** A new, empty folder beside {@code target} for what becomes it. */
    static Path folder(Path target) throws IOException {
        return Files.createDirectory(name(target));
    }

    /** Deletes what killed packages left beside {@code target}: partial outputs whose process has ended. */
    static void sweep(Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = prefix(target);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
                } catch (NumberFormatException e) {
                    continue; // not bee's
                }
                if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                    delete(p);
                }
            }
        }
    }

    /** Deletes {@code p} and, for a folder, what is in it; quietly, as clean-up after a failure must. */
    static void delete(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // left for the next sweep
        }
    }

    private static String prefix(Path target) {
        return "." + target.getFileName() + MARK;
    }
}
