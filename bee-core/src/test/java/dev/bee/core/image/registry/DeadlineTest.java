package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A download that gets no byte within the timeout (the socket's own read timeout fires) ends with a
 * registry error that says so, and one that goes on past the request's overall bound with another;
 * everything else passes through. Stalled uploads and dripping registries are FakeRegistryIT's.
 */
class DeadlineTest {
    private final Deadline second = new Deadline(Duration.ofSeconds(1), "localhost:5000");

    /** A bound on a connection never opened (its watchdog has nothing to close). */
    private static Deadline.Bound bound(Deadline d, long limit) throws IOException {
        return d.start((HttpURLConnection) new URL("http://127.0.0.1:9/").openConnection(), 0, limit, "pull x");
    }

    @Test
    void aGuardedStreamReadsAsTheStreamDoes() throws IOException {
        byte[] layer = {1, 2, 3, 4, 5};
        try (InputStream in = second.guard(new ByteArrayInputStream(layer), bound(second, 5), "download layer")) {
            assertEquals(1, in.read());
            byte[] rest = new byte[4];
            assertEquals(4, in.read(rest, 0, 4));
            assertArrayEquals(new byte[]{2, 3, 4, 5}, rest);
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aReadThatTimesOutIsAStallWithAHint() throws IOException {
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new SocketTimeoutException("Read timed out");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new SocketTimeoutException("Read timed out");
            }
        };
        InputStream in = second.guard(silent, bound(second, 5), "download layer sha256:abc");
        for (var read : java.util.List.<org.junit.jupiter.api.function.Executable>of(in::read,
                () -> in.read(new byte[8], 0, 8))) {
            BeeException e = assertThrows(BeeException.class, read);
            assertEquals(ErrorKind.REGISTRY, e.kind());
            assertEquals("cannot download layer sha256:abc: localhost:5000 sent nothing for 1s", e.getMessage());
            assertTrue(e.hint().contains("--timeout"), e.hint());
        }
    }

    @Test
    void aTimeoutUnderASecondIsSaidInMilliseconds() {
        assertEquals("cannot pull x: localhost:5000 sent nothing for 500ms",
                new Deadline(Duration.ofMillis(500), "localhost:5000").stalled("pull x").getMessage());
        assertEquals("cannot pull x: localhost:5000 sent nothing for 1500ms",
                new Deadline(Duration.ofMillis(1500), "localhost:5000").stalled("pull x").getMessage());
    }

    @Test
    void theOverallBoundIsTheTimeoutPlusTheBytesAt256KiBPerSecond() {
        assertEquals(Duration.ofSeconds(1), second.allowed(0));
        assertEquals(Duration.ofSeconds(17), second.allowed(4L << 20));
        assertEquals(Duration.ofMillis(1250), second.allowed(64 << 10));
    }

    @Test
    void aBodyThatGoesOnPastTheBoundEndsWithItsOwnError() throws Exception {
        Deadline quick = new Deadline(Duration.ofMillis(100), "localhost:5000");
        Deadline.Bound bound = bound(quick, 100);
        bound.answered(100); // 100 ms + (64 KiB of headers + 100 bytes) at 256 KiB/s: 350 ms
        InputStream in = quick.guard(new ByteArrayInputStream(new byte[100]), bound, "pull x");
        assertEquals(0, in.read(), "within the bound");
        Thread.sleep(400);
        BeeException e = assertThrows(BeeException.class, in::read);
        assertEquals(ErrorKind.REGISTRY, e.kind());
        assertEquals("cannot pull x: localhost:5000 sent too slowly: a request of 65636 bytes at most must be done"
                + " within 350ms (--timeout 100ms plus 1s per 256 KiB)", e.getMessage());
        assertTrue(e.hint().contains("--timeout"), e.hint());
    }

    @Test
    void aStreamsOwnFailureIsNotCalledAStall() throws IOException {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        IOException e = assertThrows(IOException.class, () -> second.guard(broken, bound(second, 5), "download layer").read());
        assertEquals("connection reset", e.getMessage());
    }
}
