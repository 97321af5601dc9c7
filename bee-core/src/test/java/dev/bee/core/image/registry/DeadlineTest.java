package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A registry call or download that gets no answer within the timeout ends with a registry error. */
class DeadlineTest {
    private final Deadline second = new Deadline(Duration.ofSeconds(1), "localhost:5000");

    /** A stream whose reads block until it is closed, then fail as a closed socket's do. */
    private static final class Stalling extends InputStream {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("Socket closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aCallInTimeGivesItsResult() {
        assertEquals("manifest", second.call("pull x", () -> "manifest"));
    }

    @Test
    void aCallsOwnFailuresPassThrough() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> second.call("pull x", () -> {
            throw boom;
        })));
        AssertionError err = new AssertionError("error");
        assertSame(err, assertThrows(AssertionError.class, () -> second.call("pull x", () -> {
            throw err;
        })));
    }

    @Test
    void aStalledCallIsAbandonedWithARegistryError() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        long start = System.nanoTime();
        BeeException e = assertThrows(BeeException.class, () -> second.call("pull localhost:5000/x:v1", () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ie) {
                interrupted.countDown();
            }
            return "late";
        }));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 900 && took < 10_000, took + " ms");
        assertEquals(ErrorKind.REGISTRY, e.kind());
        assertEquals("cannot pull localhost:5000/x:v1: localhost:5000 sent nothing for 1s", e.getMessage());
        assertTrue(e.hint().contains("--timeout"), e.hint());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the abandoned call is interrupted");
    }

    @Test
    void anInterruptedCallerStopsWaiting() {
        Thread.currentThread().interrupt();
        try {
            BeeException e = assertThrows(BeeException.class, () -> second.call("pull x", () -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException ie) {
                    // cancelled
                }
                return "late";
            }));
            assertEquals("cannot pull x: interrupted", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aGuardedStreamReadsAsTheStreamDoes() throws IOException {
        byte[] layer = {1, 2, 3, 4, 5};
        try (InputStream in = second.guard(new ByteArrayInputStream(layer), "download layer")) {
            assertEquals(1, in.read());
            byte[] rest = new byte[4];
            assertEquals(4, in.read(rest, 0, 4));
            assertArrayEquals(new byte[]{2, 3, 4, 5}, rest);
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aSlowStreamThatKeepsSendingIsNotCutOff() throws IOException {
        Deadline half = new Deadline(Duration.ofMillis(500), "localhost:5000");
        InputStream slow = new InputStream() {
            int left = 4;

            @Override
            public int read() {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return left-- > 0 ? 7 : -1;
            }
        };
        InputStream in = half.guard(slow, "download layer");
        int n = 0;
        while (in.read() == 7) {
            n++;
        }
        assertEquals(4, n, "the limit is per read, not for the whole download");
    }

    @Test
    void aStreamThatSendsNothingIsClosedAndSaysSo() {
        Stalling stalling = new Stalling();
        InputStream in = second.guard(stalling, "download layer sha256:abc");
        BeeException e = assertThrows(BeeException.class, () -> in.read(new byte[8], 0, 8));
        assertEquals(ErrorKind.REGISTRY, e.kind());
        assertEquals("cannot download layer sha256:abc: localhost:5000 sent nothing for 1s", e.getMessage());
        assertEquals(0, stalling.closed.getCount(), "the watchdog closed the stream");
    }

    @Test
    void aStreamsOwnFailureIsNotCalledAStall() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        IOException e = assertThrows(IOException.class, () -> second.guard(broken, "download layer").read());
        assertEquals("connection reset", e.getMessage());
    }
}
