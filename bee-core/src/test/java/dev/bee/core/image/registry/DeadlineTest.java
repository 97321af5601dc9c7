package dev.bee.core.image.registry;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A download that gets no byte within the timeout (the socket's own read timeout fires) ends with a
 * registry error that says so; everything else passes through. Stalled uploads are FakeRegistryIT's.
 */
class DeadlineTest {
    private final Deadline second = new Deadline(Duration.ofSeconds(1), "localhost:5000");

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
    void aReadThatTimesOutIsAStallWithAHint() {
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
        InputStream in = second.guard(silent, "download layer sha256:abc");
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
