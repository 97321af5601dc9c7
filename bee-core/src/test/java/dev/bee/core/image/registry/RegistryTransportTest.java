package dev.bee.core.image.registry;

import dev.bee.core.image.RegistryOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When bee may use plain HTTP without --plain-http: loopback registries that do not speak TLS, and no others. */
class RegistryTransportTest {

    @Test
    void loopbackHostsAreLocalhostAnd127Slash8AndIpv6One() {
        for (String h : new String[]{"localhost", "localhost:5000", "LOCALHOST:5000", "127.0.0.1", "127.0.0.1:5000",
                "127.1.2.3:443", "127.255.255.255", "[::1]", "[::1]:5000", "[0:0:0:0:0:0:0:1]:5000"}) {
            assertTrue(RegistryTransport.isLoopback(h), h);
        }
    }

    @Test
    void everyOtherHostIsNotLoopback() {
        for (String h : new String[]{"docker.io", "ghcr.io", "registry.example.com:5000", "192.0.2.2:5000",
                "10.0.0.1", "128.0.0.1", "126.0.0.1", "0.0.0.0:5000", "127.0.0.256", "localhost.example.com",
                "127.0.0.1.nip.io:5000", "mylocalhost:5000", "[::2]:5000", "[::]:5000", "[fe80::1]", "[::1"}) {
            assertFalse(RegistryTransport.isLoopback(h), h);
        }
    }

    @Test
    void onlyLoopbackHostsMayFallBackToPlainHttp() {
        assertTrue(RegistryTransport.mayFallBack("localhost:5000", RegistryOptions.DEFAULT));
        assertTrue(RegistryTransport.mayFallBack("127.0.0.1:5000", new RegistryOptions(false, true, null)));
        assertFalse(RegistryTransport.mayFallBack("registry.example.com:5000", RegistryOptions.DEFAULT));
        assertFalse(RegistryTransport.mayFallBack("192.0.2.2:5000", RegistryOptions.DEFAULT));
        assertFalse(RegistryTransport.mayFallBack("localhost:5000", new RegistryOptions(true, false, null)),
                "--plain-http: no TLS attempt at all");
    }

    @Test
    void aNonLoopbackHostKeepsTlsWithoutAsking() {
        // No request is made: 192.0.2.0/24 is TEST-NET-1, where nothing answers.
        RegistryOptions o = new RegistryOptions(false, false, Path.of("auth.json"));
        assertSame(o, RegistryTransport.resolve("192.0.2.1:5000", o));
    }

    @Test
    void aLoopbackRegistryWithoutTlsIsReachedOverPlainHttp() throws IOException {
        for (int status : new int[]{200, 401}) {
            try (FakeRegistry registry = new FakeRegistry(status)) {
                RegistryOptions o = RegistryTransport.resolve(registry.host(),
                        new RegistryOptions(false, true, Path.of("auth.json")));
                assertEquals(new RegistryOptions(true, true, Path.of("auth.json")), o, "status " + status);
            }
        }
    }

    @Test
    void aLoopbackServerThatIsNoRegistryKeepsTls() throws IOException {
        // A TLS server answers a plain HTTP request with 400: that must not turn into a downgrade.
        try (FakeRegistry server = new FakeRegistry(400)) {
            assertFalse(RegistryTransport.resolve(server.host(), RegistryOptions.DEFAULT).plainHttp());
        }
    }

    @Test
    void aLoopbackPortWhereNothingListensKeepsTls() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertFalse(RegistryTransport.resolve("127.0.0.1:" + port, RegistryOptions.DEFAULT).plainHttp());
    }

    /**
     * A plain HTTP server on 127.0.0.1 whose every answer has {@code status}. Like Go's servers (the CNCF
     * registry's), it answers a TLS handshake with a 400 in plain text and closes the connection.
     */
    private static final class FakeRegistry implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        FakeRegistry(int status) throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(status), "fake-registry");
            thread.setDaemon(true);
            thread.start();
        }

        String host() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        private void serve(int status) {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    InputStream in = c.getInputStream();
                    int first = in.read();
                    if (first != 0x16) { // not a TLS record: read the request up to its blank line
                        String head = first < 0 ? "" : (char) first + "";
                        while (!head.endsWith("\r\n\r\n")) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            head += (char) b;
                        }
                    }
                    int answer = first == 0x16 ? 400 : status;
                    c.getOutputStream().write(("HTTP/1.1 " + answer + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed, or a client that went away
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
