package dev.bee.core.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one {@code stat} says about a file that changes whenever its content does: device, inode, size,
 * modification and change times (nanoseconds). Rewriting a file changes its ctime, which no user can set
 * back; replacing it (a package upgrade, a rename over it) changes the inode. The one way to change the
 * content and keep the stamp is two writes of the same size within one tick of the file system's clock;
 * {@link #settled} tells when that can no longer happen, and a stamp is only trusted as a cache key then.
 */
record FileStamp(Path path, long device, long inode, long size, long modifiedNanos, long changedNanos) {
    /** How long after a change a stamp is trusted: far more than a file system clock tick. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    /** The stamp of {@code file}, symbolic links followed; {@code path} is the absolute path asked for. */
    static FileStamp of(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
        return new FileStamp(file.toAbsolutePath(), (Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")));
    }

    /** True when the file last changed at least {@link #SETTLE} before {@code now}. */
    boolean settled(Instant now) {
        long newest = Math.max(modifiedNanos, changedNanos);
        Instant threshold = now.minus(SETTLE);
        return newest <= threshold.getEpochSecond() * 1_000_000_000L + threshold.getNano();
    }

    /** One line naming all the facts, for a cache key. */
    String key() {
        return path + " dev=" + device + " ino=" + inode + " size=" + size + " mtime=" + modifiedNanos
                + " ctime=" + changedNanos;
    }

    private static long nanos(FileTime t) {
        Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
