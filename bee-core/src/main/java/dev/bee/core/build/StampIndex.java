package dev.bee.core.build;

import dev.bee.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A folder of tiny files, each mapping a key (its SHA-256 is the file's name) to a short value: what a
 * build found out once about a file with a given {@link FileStamp}, so the next build needs only the
 * stamp. The file holds the key too, so a lookup is checked against the whole key, not only its hash.
 * Writing is best effort (a cache that cannot be written is only slower), and drops entries not
 * written for {@link #KEEP}: keys that name a boot or a replaced binary are never asked again.
 */
final class StampIndex {
    static final Duration KEEP = Duration.ofDays(30);

    private StampIndex() {
    }

    static Optional<String> get(Path dir, String key) {
        try {
            String text = Files.readString(dir.resolve(name(key)), StandardCharsets.UTF_8);
            int nl = text.lastIndexOf('\n');
            if (nl > 0 && text.substring(0, nl).equals(key)) {
                return Optional.of(text.substring(nl + 1));
            }
        } catch (IOException | RuntimeException e) {
            // missing, unreadable or not text: not cached
        }
        return Optional.empty();
    }

    static void put(Path dir, String key, String value) {
        try {
            AtomicFiles.write(dir.resolve(name(key)), (key + "\n" + value).getBytes(StandardCharsets.UTF_8));
            FileTime old = FileTime.from(Instant.now().minus(KEEP));
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    if (Files.getLastModifiedTime(e).compareTo(old) < 0) {
                        Files.deleteIfExists(e);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the next build finds out again
        }
    }

    private static String name(String key) {
        return VmlinuxHeader.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }
}
