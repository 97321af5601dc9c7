package dev.bee.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files so that readers see either the old content or the whole new one, never half. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A temp file in the target's folder, for content to be moved into place with {@link #commit}. */
    public static Path tempFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    }

    /** Renames {@code temp} over {@code target}. */
    public static void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        try {
            Files.write(tmp, content);
            commit(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
