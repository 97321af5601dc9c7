package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lock of a store's changes: one writer at a time, I/O failures as write errors, released whatever happens. */
class StoreLockTest {
    @TempDir
    Path tmp;

    @Test
    void theActionRunsInTheStoresFolderWithTheLockFile() {
        StoreFiles f = new StoreFiles(tmp.resolve("new/store"));
        assertEquals("done", new StoreLock(f).run(() -> {
            assertTrue(Files.isRegularFile(f.lock()));
            return "done";
        }));
    }

    @Test
    void aSecondWriterWaitsForTheFirst() throws Exception {
        StoreFiles f = new StoreFiles(tmp.resolve("store"));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> new StoreLock(f).run(() -> {
            order.add("first in");
            inside.countDown();
            try {
                order.add(release.await(30, TimeUnit.SECONDS) ? "first out" : "first timed out");
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            return null;
        }));
        // Another StoreLock on the same folder, given in another form: one lock per store, not per object.
        Thread second = new Thread(() -> new StoreLock(new StoreFiles(tmp.resolve("x/../store"))).run(() -> order.add("second")));
        first.start();
        assertTrue(inside.await(30, TimeUnit.SECONDS));
        second.start();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); second.getState() != Thread.State.WAITING; ) {
            assertTrue(System.nanoTime() < end, "the second writer never waited: " + second.getState());
            Thread.onSpinWait();
        }
        assertEquals(List.of("first in"), order);
        release.countDown();
        first.join();
        second.join();
        assertEquals(List.of("first in", "first out", "second"), order);
    }

    @Test
    void anIoFailureIsAWriteErrorAndAnErrorOfTheActionPassesAsItIs() throws Exception {
        Files.writeString(tmp.resolve("file"), "not a folder");
        BeeException e = assertThrows(BeeException.class,
                () -> new StoreLock(new StoreFiles(tmp.resolve("file/store"))).run(() -> "never"));
        assertEquals(ErrorKind.WRITE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot write " + tmp.resolve("file/store") + ": "), e.getMessage());
        assertTrue(e.hint().endsWith(StoreLock.HINT), e.hint());

        StoreLock lock = new StoreLock(new StoreFiles(tmp.resolve("store")));
        e = assertThrows(BeeException.class, () -> lock.run(() -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(ErrorKind.WRITE, e.kind());
        assertEquals("cannot write " + tmp.resolve("store") + ": No space left on device", e.getMessage());

        BeeException own = new BeeException(ErrorKind.NOT_FOUND, "no such image");
        assertSame(own, assertThrows(BeeException.class, () -> lock.run(() -> {
            throw own;
        })));
        // Released after each failure: another thread takes it at once.
        Thread other = new Thread(() -> lock.run(() -> "again"));
        other.start();
        other.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(Thread.State.TERMINATED, other.getState());
    }
}
