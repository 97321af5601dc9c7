package dev.bee.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers see either the old content or the whole new one, never half. The
 * temporary file is created as any new file is (mode 0666 less the umask: the final file gets the
 * mode the user expects) and named {@code .TARGET.PID.RANDOM.tmp}, so that the next write of the same
 * target removes those a killed process left.
 */
public final class AtomicFiles {
    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d{1,18})\\.[0-9a-f]{16}\\.tmp");

    private AtomicFiles() {
    }

    /** A temp file in the target's folder, for content to be moved into place with {@link #commit}. */
    public static Path tempFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        sweep(dir, name);
        long pid = ProcessHandle.current().pid();
        while (true) {
            String random = String.format("%016x", ThreadLocalRandom.current().nextLong());
            try {
                // createFile, not createTempFile: the latter makes 0600 whatever the umask says.
                return Files.createFile(dir.resolve("." + name + "." + pid + "." + random + ".tmp"));
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    /** Removes temp files of {@code name} in {@code dir} whose process has ended (killed mid-write). */
    private static void sweep(Path dir, String name) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith("." + name + "."))) {
            for (Path p : ds) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).equals(name) && !alive(Long.parseLong(m.group(2)))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover is hidden, and the next write tries again
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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

    /**
     * As {@link #write}, but never over an existing file (or symlink): the whole file appears under
     * {@code target} by a hard link, which fails if the name is taken.
     */
    public static void writeNew(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        try {
            Files.write(tmp, content);
            Files.createLink(target, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
