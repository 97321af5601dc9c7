package dev.bee.core.image;

import dev.bee.core.io.WriteError;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock every change to a store is made under, so that concurrent writers do not lose each other's
 * names or blobs: a file lock on {@code .bee.lock} across processes, and a thread lock within this JVM,
 * which holds a file lock for the whole process (a second thread asking for it would fail, not wait).
 */
final class StoreLock {
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    static final String HINT = "choose another store with --storage DIR or BEE_STORAGE";

    private final StoreFiles files;

    StoreLock(StoreFiles files) {
        this.files = files;
    }

    /** What runs under the lock: store I/O whose failure is a write error. */
    interface Action<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the lock (creating the store's folder); an I/O failure is a write error (exit 10). */
    <T> T run(Action<T> action) {
        ReentrantLock lock = LOCKS.computeIfAbsent(files.root(), k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(files.root());
            try (FileChannel ch = FileChannel.open(files.lock(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw WriteError.of(files.root(), e, HINT);
        } finally {
            lock.unlock();
        }
    }
}
