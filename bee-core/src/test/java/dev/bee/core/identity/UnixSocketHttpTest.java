package dev.bee.core.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Faults a real runtime does not make on demand: a stalled peer, a huge answer, chunks. The real API is in PodmanIdentityIT. */
class UnixSocketHttpTest {
    /** Serves one connection with {@code answer} (null: read the request and never answer). */
    private static Thread serve(Path socket, String answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel c = server.accept()) {
                c.read(ByteBuffer.allocate(4096));
                if (answer == null) {
                    Thread.sleep(3000);
                } else {
                    ByteBuffer b = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
                    while (b.hasRemaining()) {
                        c.write(b);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void chunkedAnswer(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("api.sock");
        serve(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                + "3\r\n[{}\r\n2;ext=1\r\n,{\r\n2\r\n}]\r\n0\r\n\r\n");
        UnixSocketHttp.Response r = new UnixSocketHttp(s, Duration.ofSeconds(5), 1 << 20).get("/containers/json");
        assertEquals(200, r.status());
        assertArrayEquals("[{},{}]".getBytes(StandardCharsets.UTF_8), r.body());
    }

    @Test
    void lengthAndClose(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("api.sock");
        serve(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
        UnixSocketHttp.Response r = new UnixSocketHttp(s, Duration.ofSeconds(5), 1 << 20).get("/x");
        assertEquals(404, r.status());
        assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aStalledPeerTimesOut(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("api.sock");
        serve(s, null);
        long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> new UnixSocketHttp(s, Duration.ofMillis(300), 1 << 20).get("/x"));
        assertEquals(0, (System.nanoTime() - start) / 2_000_000_000L, "bounded by the timeout");
    }

    @Test
    void anAnswerPastTheBoundIsRefused(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("api.sock");
        serve(s, "HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(10_000));
        IOException e = assertThrows(IOException.class, () -> new UnixSocketHttp(s, Duration.ofSeconds(5), 1000).get("/x"));
        assertEquals("the answer is longer than 1000 bytes", e.getMessage());
    }

    @Test
    void notHttp(@TempDir Path dir) throws IOException {
        Path s = dir.resolve("api.sock");
        serve(s, "SSH-2.0-OpenSSH\r\n\r\n");
        assertThrows(IOException.class, () -> new UnixSocketHttp(s, Duration.ofSeconds(5), 1000).get("/x"));
    }
}
